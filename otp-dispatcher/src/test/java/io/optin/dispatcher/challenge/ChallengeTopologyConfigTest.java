package io.optin.dispatcher.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChallengeTopologyConfigTest {

  @Test
  void shouldRefuseExpiryOutsideOneToSixtyMinutes() {
    assertThatThrownBy(
            () -> new ChallengeTopologyConfig(Duration.ofSeconds(59), Duration.ZERO, 1, "+1", null))
        .hasMessageContaining("otp.expiry");
    assertThatThrownBy(
            () -> new ChallengeTopologyConfig(Duration.ofMinutes(61), Duration.ZERO, 1, "+1", null))
        .hasMessageContaining("otp.expiry");
  }

  @Test
  void shouldRefuseCooldownThatWouldForbidEveryResend() {
    assertThatThrownBy(
            () ->
                new ChallengeTopologyConfig(
                    Duration.ofMinutes(5), Duration.ofMinutes(5), 1, "+1", null))
        .hasMessageContaining("otp.resend.cooldown");
  }

  @Test
  void shouldRefuseNegativeResendLimit() {
    assertThatThrownBy(
            () -> new ChallengeTopologyConfig(Duration.ofMinutes(5), Duration.ZERO, -1, "+1", null))
        .hasMessageContaining("otp.max.resends");
  }

  @Test
  void shouldPreferNumberOverMessagingServiceAsSender() {
    String service = "MG" + "3".repeat(32);
    assertThat(
            new ChallengeTopologyConfig(
                    Duration.ofMinutes(5), Duration.ZERO, 0, "+15005550006", service)
                .sender())
        .isEqualTo("+15005550006");
    assertThat(
            new ChallengeTopologyConfig(Duration.ofMinutes(5), Duration.ZERO, 0, " ", service)
                .sender())
        .isEqualTo(service);
  }

  @Test
  void shouldAllowAShortWindowOnlyThroughTheDemoFactory() {
    // Given the production defaults
    ChallengeTopologyConfig production = ChallengeTopologyConfig.defaults("+15005550006");

    // When the demo shortens the window
    ChallengeTopologyConfig demo = production.withDemoWindow(Duration.ofSeconds(20));

    // Then only the window (and a cooldown that must stay inside it) changed
    assertThat(demo.expiry()).isEqualTo(Duration.ofSeconds(20));
    assertThat(demo.resendCooldown()).isEqualTo(Duration.ofSeconds(10));
    assertThat(demo.demoWindow()).isTrue();
    assertThat(demo.maxResends()).isEqualTo(production.maxResends());
    assertThat(demo.sender()).isEqualTo("+15005550006");
    assertThat(production.demoWindow()).isFalse();
  }

  @Test
  void shouldKeepTheDemoWindowAtLeastFiveSeconds() {
    ChallengeTopologyConfig production = ChallengeTopologyConfig.defaults("+15005550006");

    assertThatThrownBy(() -> production.withDemoWindow(Duration.ofSeconds(4)))
        .hasMessageContaining("demo window");
    assertThatThrownBy(() -> production.withDemoWindow(Duration.ofMinutes(61)))
        .hasMessageContaining("demo window");
  }
}
