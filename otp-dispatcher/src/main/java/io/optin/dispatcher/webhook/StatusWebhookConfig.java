package io.optin.dispatcher.webhook;

import java.time.Duration;

/**
 * Settings of the sender's status webhook: what checks Twilio's signature, and how long a status
 * waits to be written.
 *
 * @param publicBaseUrl the base URL Twilio calls ({@code public.base.url}); signatures are checked
 *     against it, and the sender gives Twilio its status callback under it
 * @param twilioAuthToken the auth token signing webhooks ({@code twilio.auth.token}); never logged
 * @param publishTimeout how long a status waits for Kafka's acknowledgement before answering 503
 *     ({@code replies.publish.timeout}, as for the inbound webhook; default 5 s)
 * @param recentStatusCapacity (MessageSid, status) pairs remembered to skip replays (default 10
 *     000)
 */
public record StatusWebhookConfig(
    String publicBaseUrl,
    String twilioAuthToken,
    Duration publishTimeout,
    int recentStatusCapacity) {

  public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_RECENT_STATUS_CAPACITY = 10_000;

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

  /** Defaults for everything but the public URL and the token. */
  public static StatusWebhookConfig of(String publicBaseUrl, String twilioAuthToken) {
    return new StatusWebhookConfig(
        publicBaseUrl, twilioAuthToken, DEFAULT_PUBLISH_TIMEOUT, DEFAULT_RECENT_STATUS_CAPACITY);
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
