package io.optin.dispatcher.sender;

import io.optin.dispatcher.sms.RetryPolicy;
import io.optin.dispatcher.webhook.StatusWebhookHandler;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the SMS sender.
 *
 * @param instanceId stable name of this sender process ({@code sms.sender.id}); its transactional
 *     id is {@code optin-sms-sender-<instanceId>}, so a restarted instance aborts the transaction
 *     its crash left open. Two live instances must not share one.
 * @param fromNumber default sending number ({@code twilio.from}), or null
 * @param messagingServiceSid messaging service used when no number is given ({@code
 *     twilio.messaging.service.sid})
 * @param statusCallback where Twilio posts delivery statuses ({@code
 *     public.base.url}/webhooks/twilio/status), or null for none
 * @param concurrency SMS requests in flight at once ({@code sms.max.concurrency})
 * @param messagesPerSecond provider requests per second, retries included ({@code
 *     sms.rate.per.second})
 * @param retryPolicy how transient provider failures are retried
 * @param dedupeWindow how far back the delivery reports are read on start to skip commands already
 *     handled ({@code sms.dedupe.window}, default 7 days, the outbox retention)
 */
public record SenderConfig(
    String instanceId,
    String fromNumber,
    String messagingServiceSid,
    URI statusCallback,
    int concurrency,
    double messagesPerSecond,
    RetryPolicy retryPolicy,
    Duration dedupeWindow) {

  public static final String GROUP_ID = "optin-sms-sender";

  /** Where the status webhook beside the sender listens, under {@code public.base.url}. */
  public static final String STATUS_CALLBACK_PATH = StatusWebhookHandler.PATH;

  public static final int DEFAULT_CONCURRENCY = 4;
  public static final double DEFAULT_MESSAGES_PER_SECOND = 10.0;
  public static final Duration DEFAULT_DEDUPE_WINDOW = Duration.ofDays(7);

  public SenderConfig {
    if (instanceId == null || !instanceId.matches("[A-Za-z0-9._-]{1,100}")) {
      throw new IllegalArgumentException(
          "sms.sender.id must be 1 to 100 letters, digits, '.', '_' or '-', got " + instanceId);
    }
    fromNumber = blankToNull(fromNumber);
    messagingServiceSid = blankToNull(messagingServiceSid);
    if (fromNumber == null && messagingServiceSid == null) {
      throw new IllegalArgumentException(
          "twilio.from or twilio.messaging.service.sid is required to send SMS");
    }
    if (concurrency < 1 || concurrency > 256) {
      throw new IllegalArgumentException(
          "sms.max.concurrency must be between 1 and 256, got " + concurrency);
    }
    if (!(messagesPerSecond > 0) || messagesPerSecond > 10_000) {
      throw new IllegalArgumentException(
          "sms.rate.per.second must be above 0 and at most 10000, got " + messagesPerSecond);
    }
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(dedupeWindow, "sms.dedupe.window");
    if (dedupeWindow.isNegative() || dedupeWindow.isZero()) {
      throw new IllegalArgumentException("sms.dedupe.window must be positive, got " + dedupeWindow);
    }
  }

  /** Defaults for everything but the instance, the sender and the public URL Twilio calls back. */
  public static SenderConfig defaults(
      String instanceId, String fromNumber, String messagingServiceSid, URI publicBaseUrl) {
    return new SenderConfig(
        instanceId,
        fromNumber,
        messagingServiceSid,
        statusCallbackFor(publicBaseUrl),
        DEFAULT_CONCURRENCY,
        DEFAULT_MESSAGES_PER_SECOND,
        RetryPolicy.DEFAULT,
        DEFAULT_DEDUPE_WINDOW);
  }

  /** The status webhook under a public base URL ({@code public.base.url}); null gives null. */
  public static URI statusCallbackFor(URI publicBaseUrl) {
    if (publicBaseUrl == null) {
      return null;
    }
    String base = publicBaseUrl.toString();
    return URI.create(
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + STATUS_CALLBACK_PATH);
  }

  public String transactionalId() {
    return GROUP_ID + "-" + instanceId;
  }

  /**
   * Records read per poll: one per sending slot. The batch in flight is what a crash can text
   * twice, so it is kept to the concurrency: at most {@code sms.max.concurrency} duplicate SMS per
   * crash.
   */
  public int maxPollRecords() {
    return concurrency;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
