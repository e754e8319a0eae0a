package io.optin.replies.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.optin.avro.InboundSms;
import io.optin.avro.MessageChannel;
import io.optin.avro.ReplyIntent;
import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.PhoneMask;
import io.optin.domain.screening.ControlCharacters;
import io.optin.kit.http.HttpExchanges;
import io.optin.kit.kafka.PublishException;
import io.optin.kit.kafka.RecordPublisher;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.twilio.RecentKeys;
import io.optin.kit.twilio.TwilioSignatureCheck;
import io.optin.kit.twilio.TwilioWebhookForm;
import io.optin.replies.lookup.OutcomeAnswers;
import io.optin.replies.matching.Outcome;
import io.optin.replies.matching.ReplyTopologyConfig.StopScope;
import io.optin.replies.parse.ParsedReply;
import io.optin.replies.parse.ReplyParser;
import io.optin.replies.parse.TwimlResponses;
import io.optin.schemas.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/twilio/inbound}: a signed reply, by SMS or WhatsApp (From and To {@code
 * whatsapp:+E164}: the prefix is dropped and the channel is WHATSAPP), becomes one {@code
 * InboundSms} (a code only as its keyed hash, with the parser rule that read it), answered in
 * TwiML: HELP/STOP/START at once, a YES or code with its outcome when decided within the wait,
 * REVIEW and OTHER with nothing. Whichever instance receives it records it; the outcome comes from
 * the instance that owns the phone ({@link OutcomeAnswers}). An outcome not known within the wait
 * (the owner unknown during a rebalance included) is answered with an empty TwiML, never a 503:
 * Twilio does not retry an inbound SMS, and the reply is recorded and decided all the same.
 */
public final class InboundWebhookHandler implements HttpHandler {

  public static final String PATH = "/webhooks/twilio/inbound";

  /** The webhook's name, the label of its forged-request metric. */
  public static final String WEBHOOK = "inbound";

  private static final Logger LOG = LoggerFactory.getLogger(InboundWebhookHandler.class);

  private static final String WHATSAPP = "whatsapp:";

  private final TwilioSignatureCheck signatures;
  private final ReplyParser parser;
  private final OtpCodes codes;
  private final RecordPublisher publisher;
  private final OutcomeAnswers outcomes;
  private final ReplyTexts texts;
  private final Clock clock;
  private final RecentKeys recentSids;
  private final OptinMetrics metrics;
  private final StopScope stopScope;

  public InboundWebhookHandler(
      TwilioSignatureCheck signatures,
      ReplyParser parser,
      OtpCodes codes,
      RecordPublisher publisher,
      OutcomeAnswers outcomes,
      ReplyTexts texts,
      Clock clock,
      int recentSidCapacity) {
    this(
        signatures,
        parser,
        codes,
        publisher,
        outcomes,
        texts,
        clock,
        recentSidCapacity,
        OptinMetrics.unexposed());
  }

  /** As the other constructor, counting accepted replies by intent on {@code metrics}. */
  public InboundWebhookHandler(
      TwilioSignatureCheck signatures,
      ReplyParser parser,
      OtpCodes codes,
      RecordPublisher publisher,
      OutcomeAnswers outcomes,
      ReplyTexts texts,
      Clock clock,
      int recentSidCapacity,
      OptinMetrics metrics) {
    this(
        signatures,
        parser,
        codes,
        publisher,
        outcomes,
        texts,
        clock,
        recentSidCapacity,
        metrics,
        StopScope.ALL);
  }

  /**
   * As the other constructors, stamping each STOP with {@code stopScope} ({@code
   * replies.stop.scope}): the scope in force when a STOP arrives is the one it is applied and
   * recorded in, however late it is processed.
   */
  public InboundWebhookHandler(
      TwilioSignatureCheck signatures,
      ReplyParser parser,
      OtpCodes codes,
      RecordPublisher publisher,
      OutcomeAnswers outcomes,
      ReplyTexts texts,
      Clock clock,
      int recentSidCapacity,
      OptinMetrics metrics,
      StopScope stopScope) {
    this.stopScope = stopScope;
    this.metrics = metrics;
    this.signatures = signatures;
    this.parser = parser;
    this.codes = codes;
    this.publisher = publisher;
    this.outcomes = outcomes;
    this.texts = texts;
    this.clock = clock;
    this.recentSids = new RecentKeys(recentSidCapacity);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Optional<Map<String, String>> form =
          TwilioWebhookForm.read(exchange, PATH, WEBHOOK, signatures);
      if (form.isEmpty()) {
        return;
      }
      Optional<String> sid = TwilioWebhookForm.param(form.get(), "MessageSid", "SmsSid");
      Optional<String> sender = TwilioWebhookForm.param(form.get(), "From");
      boolean whatsapp = sender.map(InboundWebhookHandler::isWhatsApp).orElse(false);
      Optional<String> from =
          sender.map(InboundWebhookHandler::withoutWhatsApp).filter(f -> !f.isBlank());
      if (sid.isEmpty() || from.isEmpty()) {
        TwilioWebhookForm.text(exchange, 400, "MessageSid and From are required");
        return;
      }
      Optional<String> to =
          TwilioWebhookForm.param(form.get(), "To").map(InboundWebhookHandler::withoutWhatsApp);
      Optional<String> unclean =
          ControlCharacters.firstUncleanLine(form.get(), "MessageSid", "SmsSid", "From", "To");
      if (unclean.isPresent()) {
        TwilioWebhookForm.text(exchange, 400, unclean.get() + " contains control characters");
        return;
      }
      String body = form.get().getOrDefault("Body", "");
      ReplyParser.Reading reading = parser.read(body);
      ParsedReply reply = reading.reply();
      InboundSms sms =
          InboundSms.newBuilder()
              .setMessageSid(sid.get())
              .setPhone(from.get())
              .setToNumber(to.orElse(null))
              .setIntent(reply.intent())
              .setCodeHash(reply.code().map(codes::codeHash).orElse(null))
              // The subscriber's text is kept (a STOP must count) but never stored with controls.
              .setMaskedBody(ControlCharacters.neutralised(codes.mask().mask(body)))
              .setReceivedAt(Instant.now(clock))
              .setRule(reading.rule())
              // No channel is an SMS (the field's null), as records written before channels.
              .setChannel(whatsapp ? MessageChannel.WHATSAPP : null)
              .setStopScope(reply.intent() == ReplyIntent.STOP ? stopScope.name() : null)
              .build();
      if (recentSids.firstSighting(sms.getMessageSid())) {
        try {
          publisher.publish(Topics.SMS_INBOUND, sms.getPhone(), sms, sms.getReceivedAt());
        } catch (PublishException e) {
          recentSids.forget(sms.getMessageSid());
          LOG.error(
              "could not record reply {} from {}: {}",
              sms.getMessageSid(),
              PhoneMask.mask(sms.getPhone()),
              e.getMessage());
          TwilioWebhookForm.text(exchange, 503, "try again later");
          return;
        }
        LOG.info(
            "reply {} from {}: {}",
            sms.getMessageSid(),
            PhoneMask.mask(sms.getPhone()),
            sms.getIntent());
        metrics.replyReceived(sms.getIntent().name());
        if (sms.getIntent() == ReplyIntent.REVIEW) {
          metrics.replyToReview(reading.rule());
        }
      } else {
        LOG.info(
            "replayed reply {} from {}: not published again",
            sms.getMessageSid(),
            PhoneMask.mask(sms.getPhone()));
      }
      String twiml =
          answer(sms.getIntent(), sms.getPhone(), sms.getMessageSid())
              .map(TwimlResponses::message)
              .orElseGet(TwimlResponses::empty);
      HttpExchanges.send(
          exchange, 200, TwimlResponses.CONTENT_TYPE, twiml.getBytes(StandardCharsets.UTF_8));
    }
  }

  static boolean isWhatsApp(String address) {
    return address.regionMatches(true, 0, WHATSAPP, 0, WHATSAPP.length());
  }

  /** The number behind a {@code whatsapp:} address; any other address as it is. */
  static String withoutWhatsApp(String address) {
    return isWhatsApp(address) ? address.substring(WHATSAPP.length()).trim() : address;
  }

  /** The text to answer with, if any. */
  private Optional<String> answer(ReplyIntent intent, String phone, String messageSid) {
    return switch (intent) {
      case HELP -> Optional.of(texts.help());
      case STOP -> Optional.of(texts.stop());
      case START -> Optional.of(texts.start());
      case CONFIRM, CODE -> outcomes.await(phone, messageSid).flatMap(this::textFor);
      // REVIEW gets no text: not a confirmation, not an opt-out, and one message more could be
      // one too many for someone who may have meant STOP.
      default -> Optional.empty();
    };
  }

  private Optional<String> textFor(Outcome outcome) {
    return switch (outcome.kind()) {
      case CONFIRMED, ALREADY_CONFIRMED -> Optional.of(texts.confirmed());
      case EXPIRED -> Optional.of(texts.expired());
      case WRONG_CODE -> Optional.of(texts.wrongCode(outcome.attemptsLeft()));
      case LOCKED -> Optional.of(texts.locked());
      case NO_CHALLENGE -> Optional.empty();
    };
  }
}
