package io.optin.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookConfigTest {

  private static final String SECRET = "s".repeat(32);

  @Test
  void shouldStayIdleWithoutEndpoints() {
    WebhookConfig config = WebhookConfig.from(load(Map.of()));

    assertThat(config.enabled()).isFalse();
    assertThat(config.maxAttempts()).isEqualTo(8);
    assertThat(config.backoff())
        .isEqualTo(new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void shouldAcceptHttpsEverywhereAndHttpOnlyToTheMachineItself() {
    WebhookConfig config =
        WebhookConfig.from(
            load(
                Map.of(
                    "OPTIN_WEBHOOKS_ENDPOINTS",
                    "https://hooks.example.com/optin?key=abc, http://127.0.0.1:8099/hook",
                    "OPTIN_WEBHOOKS_SECRET",
                    SECRET)));

    assertThat(config.endpoints())
        .containsExactly(
            URI.create("https://hooks.example.com/optin?key=abc"),
            URI.create("http://127.0.0.1:8099/hook"));
    assertThat(config.toString())
        .contains("https://hooks.example.com/optin, http://127.0.0.1:8099/hook")
        .doesNotContain("key=abc")
        .doesNotContain(SECRET);
  }

  @Test
  void shouldRefusePlainHttpToAnotherHost() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "OPTIN_WEBHOOKS_ENDPOINTS",
                        "http://hooks.example.com/optin",
                        "OPTIN_WEBHOOKS_SECRET",
                        SECRET)))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("webhooks.endpoints")
        .hasMessageContaining("must be an https URL");
  }

  @Test
  void shouldRequireALongEnoughSecretWhenEndpointsAreSet() {
    Settings noSecret = load(Map.of("OPTIN_WEBHOOKS_ENDPOINTS", "https://hooks.example.com/optin"));
    assertThatThrownBy(() -> WebhookConfig.from(noSecret))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("webhooks.secret is not set");
    assertThatThrownBy(() -> load(Map.of("OPTIN_WEBHOOKS_SECRET", "short")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("at least 32 characters");
  }

  @Test
  void shouldRefuseAMaximumBackoffBelowTheInitialOne() {
    Settings reversed =
        load(Map.of("OPTIN_WEBHOOKS_BACKOFF_INITIAL", "10s", "OPTIN_WEBHOOKS_BACKOFF_MAX", "1s"));
    assertThatThrownBy(() -> WebhookConfig.from(reversed))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("webhooks.backoff.max must be at least webhooks.backoff.initial");
  }

  private static Settings load(Map<String, String> environment) {
    return Settings.load(WebhookSettings.CATALOGUE, Optional.empty(), environment);
  }
}
