package io.optin.devkit.sandbox;

import io.optin.dispatcher.message.SmsSegments;
import io.optin.domain.otp.PhoneMask;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A phone answering optin: the reply becomes Twilio's signed inbound-message webhook, and the
 * messages of the TwiML answer are "sent" back to the phone, as Twilio would.
 */
final class PhoneReplies {

  private static final Logger log = LoggerFactory.getLogger(PhoneReplies.class);

  private final String accountSid;
  private final MessageLog messages;
  private final WebhookSender webhooks;
  private final Clock clock;

  PhoneReplies(String accountSid, MessageLog messages, WebhookSender webhooks, Clock clock) {
    this.accountSid = accountSid;
    this.messages = messages;
    this.webhooks = webhooks;
    this.clock = clock;
  }

  WebhookAnswer reply(String fromPhone, String toNumber, String body, URI inboundWebhookUrl) {
    Instant now = clock.instant();
    SandboxMessage inbound =
        new SandboxMessage(
            SandboxMessage.newSid(),
            accountSid,
            SandboxMessage.INBOUND,
            fromPhone,
            toNumber,
            null,
            body,
            "received",
            null,
            SmsSegments.of(body).count(),
            now,
            now,
            null);
    messages.add(inbound);
    return deliver(inbound, inboundWebhookUrl);
  }

  /** The same reply posted again, as Twilio retries a webhook that failed. */
  WebhookAnswer redeliver(String messageSid, URI inboundWebhookUrl) {
    SandboxMessage inbound =
        messages
            .find(messageSid)
            .filter(SandboxMessage::inbound)
            .orElseThrow(() -> new IllegalArgumentException("no inbound message " + messageSid));
    return deliver(inbound, inboundWebhookUrl);
  }

  private WebhookAnswer deliver(SandboxMessage inbound, URI inboundWebhookUrl) {
    WebhookAnswer answer;
    try {
      answer = webhooks.post(inboundWebhookUrl, form(inbound));
    } catch (IOException e) {
      throw new UncheckedIOException("inbound webhook " + inboundWebhookUrl + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(
          new InterruptedIOException("interrupted posting the inbound webhook"));
    }
    if (!answer.successful()) {
      log.warn(
          "Inbound webhook {} answered HTTP {} for a reply from {}",
          inboundWebhookUrl,
          answer.status(),
          PhoneMask.mask(inbound.from()));
      return answer;
    }
    for (String text : TwimlMessages.bodies(answer.body())) {
      Instant at = clock.instant();
      messages.add(
          new SandboxMessage(
              SandboxMessage.newSid(),
              accountSid,
              SandboxMessage.OUTBOUND_REPLY,
              inbound.to(),
              inbound.from(),
              null,
              text,
              "delivered",
              null,
              SmsSegments.of(text).count(),
              at,
              at,
              null));
    }
    return answer;
  }

  /**
   * The fields Twilio posts to a number's incoming-message webhook; a WhatsApp message ({@code
   * whatsapp:+E164} From and To) also carries the sender's WhatsApp id and profile name.
   */
  private static Map<String, String> form(SandboxMessage inbound) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("MessageSid", inbound.sid());
    form.put("SmsMessageSid", inbound.sid());
    form.put("SmsSid", inbound.sid());
    form.put("AccountSid", inbound.accountSid());
    form.put("From", inbound.from());
    form.put("To", inbound.to());
    form.put("Body", inbound.body());
    form.put("NumMedia", "0");
    form.put("NumSegments", String.valueOf(inbound.numSegments()));
    form.put("SmsStatus", "received");
    form.put("ApiVersion", "2010-04-01");
    if (inbound.from().startsWith("whatsapp:+")) {
      form.put("WaId", inbound.from().substring("whatsapp:+".length()));
      form.put("ProfileName", "Sandbox phone");
      form.put("MessageType", "text");
    }
    return form;
  }
}
