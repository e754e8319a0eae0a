package io.optin.dispatcher.sms;

import static io.optin.dispatcher.TestDispatcherSettings.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.kit.config.SettingsException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwilioClientSettingsTest {

  private static final String ACCOUNT = "AC" + "0".repeat(32);

  @Test
  void shouldUseTheApiKeyForTwilioCallsWhenOneIsSet() {
    // When
    TwilioClientSettings twilio =
        TwilioClientSettings.from(
            with(
                Map.of(
                    "twilio.account.sid", ACCOUNT,
                    "twilio.auth.token", "test-auth-token",
                    "twilio.api.key.sid", "SK" + "1".repeat(32),
                    "twilio.api.key.secret", "test-key-secret",
                    "twilio.api.base.url", "http://127.0.0.1:8082")));

    // Then
    assertThat(twilio.credentials().accountSid()).isEqualTo(ACCOUNT);
    assertThat(twilio.credentials().username()).isEqualTo("SK" + "1".repeat(32));
    assertThat(twilio.credentials().secret()).isEqualTo("test-key-secret");
    assertThat(twilio.baseUrl()).contains(URI.create("http://127.0.0.1:8082"));
  }

  @Test
  void shouldUseTheAuthTokenAndTwilioItselfByDefault() {
    // When
    TwilioClientSettings twilio =
        TwilioClientSettings.from(
            with(Map.of("twilio.account.sid", ACCOUNT, "twilio.auth.token", "test-auth-token")));

    // Then
    assertThat(twilio.credentials().username()).isEqualTo(ACCOUNT);
    assertThat(twilio.credentials().secret()).isEqualTo("test-auth-token");
    assertThat(twilio.baseUrl()).isEmpty();
    assertThat(twilio.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(twilio.readTimeout()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void shouldRefuseMissingCredentialsOrABadBaseUrlNamingTheSetting() {
    assertThatThrownBy(() -> TwilioClientSettings.from(with(Map.of())))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("twilio.account.sid is not set");
    assertThatThrownBy(() -> TwilioClientSettings.from(with(Map.of("twilio.account.sid", ACCOUNT))))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("twilio.auth.token is not set");
    assertThatThrownBy(
            () ->
                TwilioClientSettings.from(
                    with(
                        Map.of(
                            "twilio.account.sid", ACCOUNT,
                            "twilio.auth.token", "test-auth-token",
                            "twilio.api.base.url", "ftp://127.0.0.1"))))
        .isInstanceOf(SettingsException.class)
        .hasMessage("twilio.api.base.url must be an absolute http(s) URL: ftp://127.0.0.1");
  }
}
