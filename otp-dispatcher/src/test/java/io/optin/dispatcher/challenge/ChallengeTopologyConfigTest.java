package io.optin.dispatcher.challenge;

import static io.optin.dispatcher.TestDispatcherSettings.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.dispatcher.DispatcherSettings;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChallengeTopologyConfigTest {

  private static final String FROM = "+15005550006";

  @Test
  void shouldReadTheChallengeSettings() {
    // Given
    Settings settings =
        Settings.load(
            DispatcherSettings.CATALOGUE,
            Optional.empty(),
            Map.of(
                "OPTIN_OTP_EXPIRY", "5m",
                "OPTIN_OTP_RESEND_COOLDOWN", "30s",
                "OPTIN_OTP_MAX_RESENDS", "1",
                "OPTIN_TWILIO_FROM", FROM));

    // When
    ChallengeTopologyConfig config = ChallengeTopologyConfig.from(settings);

    // Then
    assertThat(config)
        .isEqualTo(
            new ChallengeTopologyConfig(
                Duration.ofMinutes(5), Duration.ofSeconds(30), 1, FROM, null, false));
  }

  @Test
  void shouldTakeTheDocumentedDefaultsWhenOnlyTheSenderIsSet() {
    // When
    ChallengeTopologyConfig config =
        ChallengeTopologyConfig.from(with(Map.of("twilio.messaging.service.sid", "MG1")));

    // Then
    assertThat(config)
        .isEqualTo(
            new ChallengeTopologyConfig(
                Duration.ofMinutes(10), Duration.ofSeconds(60), 3, null, "MG1", false));
    assertThat(config.sender()).isEqualTo("MG1");
  }

  @Test
  void shouldRefuseAnExpiryOutsideOneToSixtyMinutesNamingTheSetting() {
    assertThatThrownBy(() -> with(Map.of("otp.expiry", "59s")))
        .isInstanceOf(SettingsException.class)
        .hasMessage("otp.expiry=59s from test: must be between 1m and 1h");
    assertThatThrownBy(() -> with(Map.of("otp.expiry", "61m")))
        .isInstanceOf(SettingsException.class)
        .hasMessage("otp.expiry=61m from test: must be between 1m and 1h");
  }

  @Test
  void shouldRefuseACooldownThatWouldForbidEveryResend() {
    // Given each in range, but the cooldown as long as the window
    Settings settings =
        with(Map.of("otp.expiry", "5m", "otp.resend.cooldown", "5m", "twilio.from", FROM));

    // When / Then
    assertThatThrownBy(() -> ChallengeTopologyConfig.from(settings))
        .isInstanceOf(SettingsException.class)
        .hasMessage("otp.resend.cooldown must be shorter than otp.expiry (PT5M), got PT5M");
  }

  @Test
  void shouldRefuseToDispatchWithoutASenderNamingTheSettings() {
    assertThatThrownBy(() -> ChallengeTopologyConfig.from(with(Map.of())))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "twilio.from or twilio.messaging.service.sid must be set: it is the sender of every SMS"
                + " (set OPTIN_TWILIO_FROM=+1... or twilio.from in the --config file)");
  }

  @Test
  void shouldPreferNumberOverMessagingServiceAsSender() {
    String service = "MG" + "3".repeat(32);
    assertThat(
            new ChallengeTopologyConfig(Duration.ofMinutes(5), Duration.ZERO, 0, FROM, service)
                .sender())
        .isEqualTo(FROM);
    assertThat(
            new ChallengeTopologyConfig(Duration.ofMinutes(5), Duration.ZERO, 0, " ", service)
                .sender())
        .isEqualTo(service);
  }

  @Test
  void shouldAllowAShortWindowOnlyThroughTheDemoFactory() {
    // Given the production defaults
    ChallengeTopologyConfig production =
        ChallengeTopologyConfig.from(with(Map.of("twilio.from", FROM)));

    // When the demo shortens the window
    ChallengeTopologyConfig demo = production.withDemoWindow(Duration.ofSeconds(20));

    // Then only the window (and a cooldown that must stay inside it) changed
    assertThat(demo)
        .isEqualTo(
            new ChallengeTopologyConfig(
                Duration.ofSeconds(20), Duration.ofSeconds(10), 3, FROM, null, true));
    assertThat(production.demoWindow()).isFalse();
  }

  @Test
  void shouldKeepTheDemoWindowAtLeastFiveSeconds() {
    ChallengeTopologyConfig production =
        ChallengeTopologyConfig.from(with(Map.of("twilio.from", FROM)));

    assertThatThrownBy(() -> production.withDemoWindow(Duration.ofSeconds(4)))
        .hasMessage("the demo window must be between 5s and 60m, got PT4S");
    assertThatThrownBy(() -> production.withDemoWindow(Duration.ofMinutes(61)))
        .hasMessage("the demo window must be between 5s and 60m, got PT1H1M");
  }
}
