package io.optin.dispatcher.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.optin.avro.MessageChannel;
import io.optin.avro.ReportSource;
import io.optin.avro.SmsDeliveryReport;
import io.optin.domain.otp.PhoneMask;
import io.optin.domain.screening.ControlCharacters;
import io.optin.kit.kafka.PublishException;
import io.optin.kit.kafka.RecordPublisher;
import io.optin.kit.twilio.RecentKeys;
import io.optin.kit.twilio.TwilioSignatureCheck;
import io.optin.kit.twilio.TwilioWebhookForm;
import io.optin.schemas.Topics;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/twilio/status}: a signed status callback becomes one {@code
 * SmsDeliveryReport} (source STATUS_CALLBACK), once per (sid, status) as far as this instance
 * remembers; the audit sink dedupes too. A message's callback (MessageStatus) reports an SMS, or a
 * WhatsApp message when To is {@code whatsapp:+…}; a call's (CallStatus) reports channel VOICE.
 *
 * <p>It sits beside the sender because it writes the sender's topic: Twilio reports here on the SMS
 * the sender sent, to the callback URL the sender gave.
 */
public final class StatusWebhookHandler implements HttpHandler {

  public static final String PATH = "/webhooks/twilio/status";

  private static final String WHATSAPP_PREFIX = "whatsapp:";

  /** The webhook's name, the label of its forged-request metric. */
  public static final String WEBHOOK = "status";

  private static final Logger LOG = LoggerFactory.getLogger(StatusWebhookHandler.class);

  private final TwilioSignatureCheck signatures;
  private final RecordPublisher publisher;
  private final Clock clock;
  private final Supplier<String> ids;
  private final RecentKeys recentStatuses;

  public StatusWebhookHandler(
      TwilioSignatureCheck signatures,
      RecordPublisher publisher,
      Clock clock,
      Supplier<String> ids,
      int recentStatusCapacity) {
    this.signatures = signatures;
    this.publisher = publisher;
    this.clock = clock;
    this.ids = ids;
    this.recentStatuses = new RecentKeys(recentStatusCapacity);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Optional<Map<String, String>> form =
          TwilioWebhookForm.read(exchange, PATH, WEBHOOK, signatures);
      if (form.isEmpty()) {
        return;
      }
      // A call's callback names CallSid and CallStatus; a message's MessageSid and MessageStatus.
      boolean call = TwilioWebhookForm.param(form.get(), "CallStatus").isPresent();
      Optional<String> sid =
          call
              ? TwilioWebhookForm.param(form.get(), "CallSid")
              : TwilioWebhookForm.param(form.get(), "MessageSid", "SmsSid");
      Optional<String> rawTo = TwilioWebhookForm.param(form.get(), "To");
      Optional<String> status =
          call
              ? TwilioWebhookForm.param(form.get(), "CallStatus")
              : TwilioWebhookForm.param(form.get(), "MessageStatus", "SmsStatus");
      if (sid.isEmpty() || rawTo.isEmpty() || status.isEmpty()) {
        TwilioWebhookForm.text(
            exchange,
            400,
            call
                ? "CallSid, To and CallStatus are required"
                : "MessageSid, To and MessageStatus are required");
        return;
      }
      Optional<String> unclean =
          ControlCharacters.firstUncleanLine(
              form.get(),
              "MessageSid",
              "SmsSid",
              "CallSid",
              "To",
              "MessageStatus",
              "SmsStatus",
              "CallStatus");
      if (unclean.isPresent()) {
        TwilioWebhookForm.text(exchange, 400, unclean.get() + " contains control characters");
        return;
      }
      // Reports are keyed by the phone in E.164: a WhatsApp recipient loses its "whatsapp:" prefix.
      boolean whatsApp = rawTo.get().startsWith(WHATSAPP_PREFIX);
      Optional<String> to =
          Optional.of(whatsApp ? rawTo.get().substring(WHATSAPP_PREFIX.length()) : rawTo.get());
      MessageChannel channel =
          call ? MessageChannel.VOICE : whatsApp ? MessageChannel.WHATSAPP : null;
      String dedupeKey = sid.get() + "|" + status.get();
      if (recentStatuses.firstSighting(dedupeKey)) {
        SmsDeliveryReport report =
            SmsDeliveryReport.newBuilder()
                .setReportId(ids.get())
                .setPhone(to.get())
                .setMessageSid(sid.get())
                .setStatus(
                    call
                        ? TwilioDeliveryStatus.ofCall(status.get())
                        : TwilioDeliveryStatus.of(status.get()))
                .setChannel(channel)
                .setErrorCode(errorCode(form.get()))
                .setErrorMessage(
                    TwilioWebhookForm.param(form.get(), "ErrorMessage")
                        .map(ControlCharacters::neutralised)
                        .orElse(null))
                .setAttempts(1)
                .setSource(ReportSource.STATUS_CALLBACK)
                .setOccurredAt(Instant.now(clock))
                .build();
        try {
          publisher.publish(Topics.SMS_DELIVERY, report.getPhone(), report, report.getOccurredAt());
        } catch (PublishException e) {
          recentStatuses.forget(dedupeKey);
          LOG.error(
              "could not record status {} of {}: {}", status.get(), sid.get(), e.getMessage());
          TwilioWebhookForm.text(exchange, 503, "try again later");
          return;
        }
        LOG.info("status {} of {} to {}", status.get(), sid.get(), PhoneMask.mask(to.get()));
      }
      exchange.sendResponseHeaders(204, -1);
    }
  }

  /**
   * Twilio's numeric error code, when there is one (a non-numeric value is kept out rather than
   * guessed).
   */
  private static Integer errorCode(Map<String, String> form) {
    return TwilioWebhookForm.param(form, "ErrorCode")
        .map(
            code -> {
              try {
                return Integer.valueOf(code);
              } catch (NumberFormatException e) {
                return null;
              }
            })
        .orElse(null);
  }
}
