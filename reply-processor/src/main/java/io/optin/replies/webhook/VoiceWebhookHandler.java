package io.optin.replies.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.optin.avro.InboundSms;
import io.optin.avro.MessageChannel;
import io.optin.avro.ReplyIntent;
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
import io.optin.replies.parse.TwimlResponses;
import io.optin.schemas.Topics;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/twilio/voice}: the signed {@code <Gather>} webhook of a confirmation call.
 * Key 1 becomes one {@code InboundSms} (intent CONFIRM, channel VOICE, id {@code
 * <CallSid>:keypress}, so that a replayed key press of the same call is recorded once), answered in
 * TwiML with its outcome, said in the call's language ({@code ?lang=} on the action URL, English
 * otherwise), then a hang-up; any other key changes nothing and is asked again.
 *
 * <p>The subscriber is {@code To} on a call optin placed ({@code Direction} outbound-…), {@code
 * From} otherwise. An outcome not known within the wait is answered "recorded", never a 5xx: the
 * key is recorded and decided all the same. A key that cannot be recorded (Kafka refuses it) is
 * asked again rather than answered 503, which Twilio would read out as an application error.
 */
public final class VoiceWebhookHandler implements HttpHandler {

  public static final String PATH = "/webhooks/twilio/voice";

  /** The webhook's name, the label of its forged-request metric. */
  public static final String WEBHOOK = "voice";

  /** The only key that confirms. */
  public static final String CONFIRM_KEY = "1";

  /** What makes a call's key press an answer id: one per call, so replays dedupe. */
  static final String KEYPRESS_SUFFIX = ":keypress";

  private static final Logger LOG = LoggerFactory.getLogger(VoiceWebhookHandler.class);

  private final TwilioSignatureCheck signatures;
  private final RecordPublisher publisher;
  private final OutcomeAnswers outcomes;
  private final Clock clock;
  private final RecentKeys recentIds;
  private final OptinMetrics metrics;

  public VoiceWebhookHandler(
      TwilioSignatureCheck signatures,
      RecordPublisher publisher,
      OutcomeAnswers outcomes,
      Clock clock,
      int recentIdCapacity,
      OptinMetrics metrics) {
    this.signatures = signatures;
    this.publisher = publisher;
    this.outcomes = outcomes;
    this.clock = clock;
    this.recentIds = new RecentKeys(recentIdCapacity);
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Optional<Map<String, String>> read =
          TwilioWebhookForm.read(exchange, PATH, WEBHOOK, signatures);
      if (read.isEmpty()) {
        return;
      }
      Map<String, String> form = read.get();
      Optional<String> callSid = TwilioWebhookForm.param(form, "CallSid");
      boolean outbound =
          TwilioWebhookForm.param(form, "Direction")
              .map(d -> d.startsWith("outbound"))
              .orElse(false);
      Optional<String> subscriber = TwilioWebhookForm.param(form, outbound ? "To" : "From");
      Optional<String> ours = TwilioWebhookForm.param(form, outbound ? "From" : "To");
      if (callSid.isEmpty() || subscriber.isEmpty()) {
        TwilioWebhookForm.text(exchange, 400, "CallSid and the callee are required");
        return;
      }
      Optional<String> unclean =
          ControlCharacters.firstUncleanLine(form, "CallSid", "From", "To", "Digits");
      if (unclean.isPresent()) {
        TwilioWebhookForm.text(exchange, 400, unclean.get() + " contains control characters");
        return;
      }
      VoiceTexts texts = VoiceTexts.forLanguage(language(exchange));
      String digits = form.getOrDefault("Digits", "").strip();
      String twiml =
          CONFIRM_KEY.equals(digits)
              ? confirm(callSid.get(), subscriber.get(), ours.orElse(null), texts)
              : TwimlResponses.gatherAgain(texts.sayLanguage(), texts.otherKey(), texts.goodbye());
      HttpExchanges.send(
          exchange, 200, TwimlResponses.CONTENT_TYPE, twiml.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Records key 1 (once per call) and says what it achieved. */
  private String confirm(String callSid, String phone, String ourNumber, VoiceTexts texts) {
    InboundSms keypress =
        InboundSms.newBuilder()
            .setMessageSid(callSid + KEYPRESS_SUFFIX)
            .setPhone(phone)
            .setToNumber(ourNumber)
            .setIntent(ReplyIntent.CONFIRM)
            .setCodeHash(null)
            .setMaskedBody("[key " + CONFIRM_KEY + "]")
            .setReceivedAt(Instant.now(clock))
            .setChannel(MessageChannel.VOICE)
            .build();
    if (recentIds.firstSighting(keypress.getMessageSid())) {
      try {
        publisher.publish(
            Topics.SMS_INBOUND, keypress.getPhone(), keypress, keypress.getReceivedAt());
      } catch (PublishException e) {
        recentIds.forget(keypress.getMessageSid());
        LOG.error(
            "could not record the key press of call {} to {}: {}",
            callSid,
            PhoneMask.mask(phone),
            e.getMessage());
        return TwimlResponses.gatherAgain(texts.sayLanguage(), texts.tryAgain(), texts.goodbye());
      }
      LOG.info("key press on call {} to {}: CONFIRM", callSid, PhoneMask.mask(phone));
      metrics.replyReceived(ReplyIntent.CONFIRM.name());
    } else {
      LOG.info(
          "replayed key press on call {} to {}: not published again",
          callSid,
          PhoneMask.mask(phone));
    }
    String said =
        outcomes
            .await(phone, keypress.getMessageSid())
            .map(o -> textFor(o, texts))
            .orElse(texts.recorded());
    return TwimlResponses.sayThenHangUp(texts.sayLanguage(), said);
  }

  private static String textFor(Outcome outcome, VoiceTexts texts) {
    return switch (outcome.kind()) {
      case CONFIRMED, ALREADY_CONFIRMED -> texts.confirmed();
      case EXPIRED -> texts.expired();
      // Too many wrong codes typed or texted before the key closed the challenge.
      case LOCKED -> texts.locked();
      // A key press carries no code, so it is never a wrong one; said as nothing confirmed.
      case WRONG_CODE, NO_CHALLENGE -> texts.nothingToConfirm();
    };
  }

  /** The {@code lang} (or {@code locale}) query parameter of the action URL, or null. */
  static String language(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (eq > 0 && (name.equals("lang") || name.equals("locale"))) {
        try {
          return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
    }
    return null;
  }
}
