package io.optin.dispatcher.sender;

import static io.optin.dispatcher.DispatcherSettings.SMS_DEDUPE_WINDOW;
import static io.optin.dispatcher.DispatcherSettings.SMS_MAX_ATTEMPTS;
import static io.optin.dispatcher.DispatcherSettings.SMS_MAX_CONCURRENCY;
import static io.optin.dispatcher.DispatcherSettings.SMS_RATE_PER_SECOND;
import static io.optin.dispatcher.DispatcherSettings.SMS_SENDER_ID;
import static io.optin.dispatcher.DispatcherSettings.TWILIO_FROM;
import static io.optin.dispatcher.DispatcherSettings.TWILIO_MESSAGING_SERVICE_SID;
import static io.optin.dispatcher.DispatcherSettings.WHATSAPP_CONTENT_SID;
import static io.optin.dispatcher.DispatcherSettings.WHATSAPP_FROM;
import static io.optin.kit.config.ProcessSettings.PUBLIC_BASE_URL;

import io.optin.dispatcher.DispatcherSettings;
import io.optin.dispatcher.fallback.FallbackConfig;
import io.optin.dispatcher.message.VoiceScript;
import io.optin.dispatcher.sms.RetryPolicy;
import io.optin.dispatcher.webhook.StatusWebhookHandler;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the SMS sender.
 *
 * @param instanceId stable name of this sender process ({@code sms.sender.id}, else the host name);
 *     its transactional id is {@code optin-sms-sender-<instanceId>}, so a restarted instance aborts
 *     the transaction its crash left open. Two live instances must not share one.
 * @param fromNumber default sending number ({@code twilio.from}), or null
 * @param messagingServiceSid messaging service used when no number is given ({@code
 *     twilio.messaging.service.sid})
 * @param statusCallback where Twilio posts delivery statuses ({@code
 *     public.base.url}/webhooks/twilio/status), or null for none
 * @param concurrency provider requests in flight at once ({@code sms.max.concurrency}); the outbox
 *     partitions are paused while as many commands are in flight
 * @param messagesPerSecond provider requests per second, retries included ({@code
 *     sms.rate.per.second})
 * @param retryPolicy how transient provider failures are retried ({@code sms.max.attempts})
 * @param dedupeWindow how far back the delivery reports are read on start to skip commands already
 *     handled ({@code sms.dedupe.window})
 * @param whatsAppFrom the WhatsApp sender in E.164 ({@code whatsapp.from}), or null
 * @param whatsAppContentSid the WhatsApp content template ({@code whatsapp.content.sid}), or null
 * @param voiceAction where a code call's key press is posted ({@code
 *     public.base.url}/webhooks/twilio/voice), or null when there is no public URL
 */
public record SenderConfig(
    String instanceId,
    String fromNumber,
    String messagingServiceSid,
    URI statusCallback,
    int concurrency,
    double messagesPerSecond,
    RetryPolicy retryPolicy,
    Duration dedupeWindow,
    String whatsAppFrom,
    String whatsAppContentSid,
    URI voiceAction) {

  public static final String GROUP_ID = "optin-sms-sender";

  /** Where the status webhook beside the sender listens, under {@code public.base.url}. */
  public static final String STATUS_CALLBACK_PATH = StatusWebhookHandler.PATH;

  public SenderConfig {
    Objects.requireNonNull(instanceId, "instanceId");
    fromNumber = blankToNull(fromNumber);
    messagingServiceSid = blankToNull(messagingServiceSid);
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(dedupeWindow, "dedupeWindow");
    whatsAppFrom = blankToNull(whatsAppFrom);
    whatsAppContentSid = blankToNull(whatsAppContentSid);
  }

  /** A sender of SMS only: no WhatsApp sender, no voice webhook. */
  public SenderConfig(
      String instanceId,
      String fromNumber,
      String messagingServiceSid,
      URI statusCallback,
      int concurrency,
      double messagesPerSecond,
      RetryPolicy retryPolicy,
      Duration dedupeWindow) {
    this(
        instanceId,
        fromNumber,
        messagingServiceSid,
        statusCallback,
        concurrency,
        messagesPerSecond,
        retryPolicy,
        dedupeWindow,
        null,
        null,
        null);
  }

  /**
   * The sender's settings among {@code settings}.
   *
   * @throws SettingsException when neither {@code twilio.from} nor {@code
   *     twilio.messaging.service.sid} is set
   */
  public static SenderConfig from(Settings settings) {
    DispatcherSettings.requireSender(settings);
    // Refuses at start a program whose fallback channel could not be sent.
    FallbackConfig.from(settings);
    URI publicBaseUrl = SettingsException.checked(() -> publicBaseUrl(settings));
    return new SenderConfig(
        settings.optional(SMS_SENDER_ID).orElseGet(SenderConfig::hostName),
        settings.optional(TWILIO_FROM).orElse(null),
        settings.optional(TWILIO_MESSAGING_SERVICE_SID).orElse(null),
        statusCallbackFor(publicBaseUrl),
        settings.integer(SMS_MAX_CONCURRENCY),
        settings.integer(SMS_RATE_PER_SECOND),
        RetryPolicy.backoff(settings.integer(SMS_MAX_ATTEMPTS)),
        settings.duration(SMS_DEDUPE_WINDOW),
        settings.optional(WHATSAPP_FROM).orElse(null),
        settings.optional(WHATSAPP_CONTENT_SID).orElse(null),
        under(publicBaseUrl, VoiceScript.WEBHOOK_PATH));
  }

  /** The status webhook under a public base URL ({@code public.base.url}); null gives null. */
  public static URI statusCallbackFor(URI publicBaseUrl) {
    return under(publicBaseUrl, STATUS_CALLBACK_PATH);
  }

  private static URI under(URI publicBaseUrl, String path) {
    if (publicBaseUrl == null) {
      return null;
    }
    String base = publicBaseUrl.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
  }

  public String transactionalId() {
    return GROUP_ID + "-" + instanceId;
  }

  /**
   * Records read per poll: at most one per sending slot, so that a poll made just below the cap
   * queues at most that many commands behind the provider requests in flight.
   */
  public int maxPollRecords() {
    return concurrency;
  }

  /**
   * A sender id from the host name: stable across restarts of one machine, distinct between
   * machines.
   */
  static String hostName() {
    try {
      String name = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
      return name.isEmpty() ? "sender" : name.substring(0, Math.min(100, name.length()));
    } catch (UnknownHostException e) {
      return "sender";
    }
  }

  private static URI publicBaseUrl(Settings settings) {
    try {
      return URI.create(settings.string(PUBLIC_BASE_URL));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(PUBLIC_BASE_URL.key() + ": " + e.getMessage(), e);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
