package io.optin.dispatcher.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(350), 2.0, 0.5);

  @Test
  void shouldDoubleTheDelayUpToTheCapWithoutJitter() {
    // Given a random source at its lowest value, jitter takes nothing off

    // When / Then
    assertThat(policy.delayBeforeRetry(1, () -> 0.0)).isEqualTo(Duration.ofMillis(100));
    assertThat(policy.delayBeforeRetry(2, () -> 0.0)).isEqualTo(Duration.ofMillis(200));
    assertThat(policy.delayBeforeRetry(3, () -> 0.0)).isEqualTo(Duration.ofMillis(350));
    assertThat(policy.delayBeforeRetry(10, () -> 0.0)).isEqualTo(Duration.ofMillis(350));
  }

  @Test
  void shouldTakeAtMostTheJitterShareOffTheDelay() {
    // Given a random source near its highest value

    // When
    Duration delay = policy.delayBeforeRetry(2, () -> 0.999_999);

    // Then: 200 ms minus almost half of it
    assertThat(delay).isBetween(Duration.ofMillis(100), Duration.ofMillis(101));
  }

  @Test
  void shouldAllowAttemptsUpToTheMaximum() {
    assertThat(policy.allowsAnotherAttempt(4)).isTrue();
    assertThat(policy.allowsAnotherAttempt(5)).isFalse();
    assertThat(RetryPolicy.noRetries().allowsAnotherAttempt(1)).isFalse();
  }

  @Test
  void shouldRejectNonsensicalSettings() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 2.0, 0.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1), 2.0, 0.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ZERO, Duration.ZERO, 2.0, 1.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
