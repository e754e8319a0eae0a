package io.optin.webhooks;

import static io.optin.webhooks.WebhookSettings.WEBHOOKS_BACKOFF_INITIAL;
import static io.optin.webhooks.WebhookSettings.WEBHOOKS_BACKOFF_MAX;
import static io.optin.webhooks.WebhookSettings.WEBHOOKS_ENDPOINTS;
import static io.optin.webhooks.WebhookSettings.WEBHOOKS_MAX_ATTEMPTS;
import static io.optin.webhooks.WebhookSettings.WEBHOOKS_MAX_CONCURRENCY;
import static io.optin.webhooks.WebhookSettings.WEBHOOKS_REQUEST_TIMEOUT;
import static io.optin.webhooks.WebhookSettings.WEBHOOKS_SECRET;

import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the webhooks service runs with: its endpoints (none: the service stays idle), the signing
 * key, and the retry and timeout rules of {@link WebhookSettings}.
 */
public record WebhookConfig(
    List<URI> endpoints,
    byte[] secret,
    int maxAttempts,
    Backoff backoff,
    Duration requestTimeout,
    int maxConcurrency) {

  /** The consumer group of every webhooks instance: the offsets acknowledged by every endpoint. */
  public static final String GROUP_ID = "optin-webhooks";

  public WebhookConfig {
    endpoints = List.copyOf(endpoints);
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (!endpoints.isEmpty() && (secret == null || secret.length == 0)) {
      throw new IllegalArgumentException("a secret is required to sign webhooks");
    }
    secret = secret == null ? new byte[0] : secret.clone();
  }

  /**
   * The webhook settings among the loaded ones.
   *
   * @throws SettingsException when endpoints are set without {@code webhooks.secret}, or the
   *     backoff's bounds are reversed
   */
  public static WebhookConfig from(Settings settings) {
    List<URI> endpoints =
        settings.list(WEBHOOKS_ENDPOINTS).stream()
            .map(String::strip)
            .filter(url -> !url.isEmpty())
            .map(WebhookEndpoints::parse)
            .distinct()
            .toList();
    byte[] secret = null;
    if (!endpoints.isEmpty()) {
      secret =
          settings
              .optional(WEBHOOKS_SECRET)
              .orElseThrow(
                  () ->
                      new SettingsException(
                          WEBHOOKS_SECRET.key()
                              + " is not set: webhooks.endpoints are signed with it; set it with "
                              + "the environment variable "
                              + WEBHOOKS_SECRET.environmentVariable()))
              .getBytes(StandardCharsets.UTF_8);
    }
    Duration initial = settings.duration(WEBHOOKS_BACKOFF_INITIAL);
    Duration max = settings.duration(WEBHOOKS_BACKOFF_MAX);
    if (max.compareTo(initial) < 0) {
      throw new SettingsException(
          WEBHOOKS_BACKOFF_MAX.key() + " must be at least " + WEBHOOKS_BACKOFF_INITIAL.key());
    }
    return new WebhookConfig(
        endpoints,
        secret,
        settings.integer(WEBHOOKS_MAX_ATTEMPTS),
        new Backoff(initial, max),
        settings.duration(WEBHOOKS_REQUEST_TIMEOUT),
        settings.integer(WEBHOOKS_MAX_CONCURRENCY));
  }

  /** Whether any endpoint is configured; without one the service consumes nothing. */
  public boolean enabled() {
    return !endpoints.isEmpty();
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  @Override
  public String toString() {
    return "WebhookConfig[endpoints="
        + endpoints.stream().map(WebhookEndpoints::display).toList()
        + ", secret=****, maxAttempts="
        + maxAttempts
        + ", backoff="
        + backoff
        + ", requestTimeout="
        + requestTimeout
        + ", maxConcurrency="
        + maxConcurrency
        + "]";
  }
}
