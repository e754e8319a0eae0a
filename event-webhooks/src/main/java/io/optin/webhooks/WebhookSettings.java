package io.optin.webhooks;

import io.optin.kit.config.Setting;
import io.optin.kit.config.SettingsCatalogue;
import io.optin.kit.config.ValueType;
import java.time.Duration;
import java.util.List;

/**
 * The settings of the event webhooks ({@code webhooks.*}): where the events go, the key that signs
 * them, and how hard a delivery is retried before it is dead-lettered.
 */
public final class WebhookSettings {

  /** The shortest {@code webhooks.secret}: 256 bits of a random printable key. */
  public static final int MIN_SECRET_LENGTH = 32;

  public static final Setting<List<String>> WEBHOOKS_ENDPOINTS =
      Setting.of(
          "webhooks.endpoints",
          ValueType.LIST,
          List.of(),
          WebhookEndpoints::problem,
          "https URLs; http only to localhost, 127.0.0.1 or [::1]",
          "URLs every event is POSTed to (docs/webhooks.md); empty: no webhooks are sent.");
  public static final Setting<String> WEBHOOKS_SECRET =
      Setting.of(
          "webhooks.secret",
          ValueType.STRING,
          null,
          value ->
              value.length() < MIN_SECRET_LENGTH
                  ? "must be at least " + MIN_SECRET_LENGTH + " characters long"
                  : null,
          MIN_SECRET_LENGTH + " characters or more",
          "Key of the HMAC-SHA256 `Optin-Signature` of every webhook (its UTF-8 bytes); required when "
              + "`webhooks.endpoints` is set. Keep it in the environment.");
  public static final Setting<Integer> WEBHOOKS_MAX_ATTEMPTS =
      Setting.integer(
          "webhooks.max.attempts",
          8,
          1,
          100,
          "Attempts to deliver one event to one endpoint before it is dead-lettered on "
              + "`optin.dead-letters.v1`.");
  public static final Setting<Duration> WEBHOOKS_BACKOFF_INITIAL =
      Setting.duration(
          "webhooks.backoff.initial",
          Duration.ofSeconds(1),
          Duration.ofMillis(10),
          Duration.ofMinutes(10),
          "Pause before the second attempt; each further pause doubles, with jitter, up to "
              + "`webhooks.backoff.max`.");
  public static final Setting<Duration> WEBHOOKS_BACKOFF_MAX =
      Setting.duration(
          "webhooks.backoff.max",
          Duration.ofMinutes(5),
          Duration.ofMillis(10),
          Duration.ofHours(6),
          "Longest pause between two attempts (at least `webhooks.backoff.initial`).");
  public static final Setting<Duration> WEBHOOKS_REQUEST_TIMEOUT =
      Setting.duration(
          "webhooks.request.timeout",
          Duration.ofSeconds(10),
          Duration.ofMillis(100),
          Duration.ofMinutes(2),
          "Longest wait for an endpoint to connect and answer one POST; a timeout is a failed attempt.");
  public static final Setting<Integer> WEBHOOKS_MAX_CONCURRENCY =
      Setting.integer(
          "webhooks.max.concurrency",
          32,
          1,
          1024,
          "POSTs in flight at once, per instance (at most one per endpoint and partition).");

  /** Every setting of the webhooks. */
  public static final SettingsCatalogue CATALOGUE =
      SettingsCatalogue.of(
          WEBHOOKS_ENDPOINTS,
          WEBHOOKS_SECRET,
          WEBHOOKS_MAX_ATTEMPTS,
          WEBHOOKS_BACKOFF_INITIAL,
          WEBHOOKS_BACKOFF_MAX,
          WEBHOOKS_REQUEST_TIMEOUT,
          WEBHOOKS_MAX_CONCURRENCY);

  private WebhookSettings() {}
}
