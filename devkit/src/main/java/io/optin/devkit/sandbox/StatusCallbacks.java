package io.optin.devkit.sandbox;

import io.optin.domain.otp.PhoneMask;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a message's delivery after the API has answered: each status of its {@link DeliveryOutcome}
 * in turn, a delay apart, recorded in the log and reported as a signed status callback when the
 * message asked for one.
 */
final class StatusCallbacks {

  private static final Logger log = LoggerFactory.getLogger(StatusCallbacks.class);

  private final MessageLog messages;
  private final WebhookSender webhooks;
  private final ScheduledExecutorService executor;
  private final Clock clock;

  StatusCallbacks(
      MessageLog messages, WebhookSender webhooks, ScheduledExecutorService executor, Clock clock) {
    this.messages = messages;
    this.webhooks = webhooks;
    this.executor = executor;
    this.clock = clock;
  }

  void play(SandboxMessage accepted, DeliveryOutcome outcome, Duration delay) {
    schedule(accepted.sid(), outcome.statuses(), outcome, delay);
  }

  private void schedule(
      String sid, List<String> remaining, DeliveryOutcome outcome, Duration delay) {
    if (remaining.isEmpty() || executor.isShutdown()) {
      return;
    }
    executor.schedule(
        () -> {
          report(sid, remaining.get(0), outcome);
          // The next status only after this one was reported: callbacks arrive in order.
          schedule(sid, remaining.subList(1, remaining.size()), outcome, delay);
        },
        delay.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  private void report(String sid, String status, DeliveryOutcome outcome) {
    SandboxMessage message = messages.find(sid).orElse(null);
    if (message == null) {
      return;
    }
    SandboxMessage updated =
        message.withStatus(status, outcome.errorCodeFor(status), clock.instant());
    messages.replace(updated);
    if (updated.statusCallback() == null) {
      return;
    }
    try {
      WebhookAnswer answer = webhooks.post(updated.statusCallback(), form(updated));
      if (!answer.successful()) {
        log.warn(
            "Status callback {} for {} to {} answered HTTP {}",
            status,
            sid,
            PhoneMask.mask(updated.to()),
            answer.status());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn(
          "Status callback {} for {} could not be posted to {}: {}",
          status,
          sid,
          updated.statusCallback(),
          e.toString());
    }
  }

  /** The fields Twilio posts to a message's StatusCallback. */
  static Map<String, String> form(SandboxMessage message) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("MessageSid", message.sid());
    form.put("SmsSid", message.sid());
    form.put("AccountSid", message.accountSid());
    if (message.messagingServiceSid() != null) {
      form.put("MessagingServiceSid", message.messagingServiceSid());
    }
    form.put("From", message.from());
    form.put("To", message.to());
    form.put("MessageStatus", message.status());
    form.put("SmsStatus", message.status());
    if (message.errorCode() != null) {
      form.put("ErrorCode", String.valueOf(message.errorCode()));
    }
    form.put("ApiVersion", "2010-04-01");
    return form;
  }
}
