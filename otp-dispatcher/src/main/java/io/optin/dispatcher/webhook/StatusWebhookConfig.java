package io.optin.dispatcher.webhook;

import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import io.optin.kit.config.SharedSettings;
import java.time.Duration;

/**
 * Settings of the sender's status webhook: what checks Twilio's signature, and how long a status
 * waits to be written.
 *
 * @param publicBaseUrl the base URL Twilio calls ({@code public.base.url}); signatures are checked
 *     against it, and the sender gives Twilio its status callback under it
 * @param twilioAuthToken the auth token signing webhooks ({@code twilio.auth.token}); never logged
 * @param publishTimeout how long a status waits for Kafka's acknowledgement before answering 503
 *     ({@code replies.publish.timeout}, as for the inbound webhook)
 * @param recentStatusCapacity (MessageSid, status) pairs remembered to skip replays (default 10
 *     000, no setting)
 */
public record StatusWebhookConfig(
    String publicBaseUrl,
    String twilioAuthToken,
    Duration publishTimeout,
    int recentStatusCapacity) {

  /** (MessageSid, status) pairs remembered per instance; no setting. */
  public static final int RECENT_STATUS_CAPACITY = 10_000;

  public StatusWebhookConfig {
    if (publicBaseUrl == null || publicBaseUrl.isBlank()) {
      throw new IllegalArgumentException(
          "public.base.url is required (the URL Twilio calls, used to check signatures)");
    }
    if (twilioAuthToken == null || twilioAuthToken.isBlank()) {
      throw new IllegalArgumentException(
          "twilio.auth.token is required: it signs Twilio's status callbacks to the sender");
    }
    if (publishTimeout == null || publishTimeout.isNegative() || publishTimeout.isZero()) {
      throw new IllegalArgumentException("publishTimeout must be positive, got " + publishTimeout);
    }
    if (recentStatusCapacity < 1) {
      throw new IllegalArgumentException(
          "recentStatusCapacity must be positive, got " + recentStatusCapacity);
    }
  }

  /**
   * The status webhook's settings among {@code settings}: {@code public.base.url}, {@code
   * twilio.auth.token} (required even when an API key sends the SMS: Twilio signs webhooks with the
   * auth token) and {@code replies.publish.timeout}.
   *
   * @throws SettingsException when the public URL or the auth token is missing
   */
  public static StatusWebhookConfig from(Settings settings) {
    return SettingsException.checked(
        () ->
            new StatusWebhookConfig(
                settings.string(ProcessSettings.PUBLIC_BASE_URL),
                settings.optional(SharedSettings.TWILIO_AUTH_TOKEN).orElse(null),
                settings.duration(SharedSettings.REPLIES_PUBLISH_TIMEOUT),
                RECENT_STATUS_CAPACITY));
  }

  @Override
  public String toString() {
    return "StatusWebhookConfig[publicBaseUrl="
        + publicBaseUrl
        + ", twilioAuthToken=<redacted>, publishTimeout="
        + publishTimeout
        + ", recentStatusCapacity="
        + recentStatusCapacity
        + "]";
  }
}
