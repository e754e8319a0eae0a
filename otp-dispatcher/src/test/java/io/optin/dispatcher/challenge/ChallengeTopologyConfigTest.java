package io.optin.dispatcher.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChallengeTopologyConfigTest {

  @Test
  void shouldRefuseExpiryOutsideOneToSixtyMinutes() {
    assertThatThrownBy(() -> new ChallengeTopologyConfig(Duration.ofSeconds(59), Duration.ZERO, 1, "+1", null))
        .hasMessageContaining("otp.expiry");
    assertThatThrownBy(() -> new ChallengeTopologyConfig(Duration.ofMinutes(61), Duration.ZERO, 1, "+1", null))
        .hasMessageContaining("otp.expiry");
  }

  @Test
  void shouldRefuseCooldownThatWouldForbidEveryResend() {
    assertThatThrownBy(() -> new ChallengeTopologyConfig(Duration.ofMinutes(5), Duration.ofMinutes(5), 1, "+1", null))
        .hasMessageContaining("otp.resend.cooldown");
  }

  @Test
  void shouldRefuseNegativeResendLimit() {
    assertThatThrownBy(() -> new ChallengeTopologyConfig(Duration.ofMinutes(5), Duration.ZERO, -1, "+1", null))
        .hasMessageContaining("otp.max.resends");
  }

  @Test
  void shouldPreferNumberOverMessagingServiceAsSender() {
    String service = "MG" + "3".repeat(32);
    assertThat(new ChallengeTopologyConfig(Duration.ofMinutes(5), Duration.ZERO, 0, "+15005550006", service).sender())
        .isEqualTo("+15005550006");
    assertThat(new ChallengeTopologyConfig(Duration.ofMinutes(5), Duration.ZERO, 0, " ", service).sender())
        .isEqualTo(service);
  }
}
