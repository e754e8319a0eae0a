package io.optin.dispatcher.sender;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DeliveredCommandsTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  /** A clock the test moves by hand. */
  private static final class MovingClock extends Clock {
    private Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final MovingClock clock = new MovingClock();
  private final DeliveredCommands delivered = new DeliveredCommands(Duration.ofDays(7), clock);

  @Test
  void shouldClaimCommandOnlyOnce() {
    assertThat(delivered.claim("cmd-1")).isTrue();
    assertThat(delivered.claim("cmd-1")).isFalse();
    assertThat(delivered.claim("cmd-2")).isTrue();
  }

  @Test
  void shouldLetACommandBeClaimedAgainOnceItsClaimIsGivenBack() {
    // Given cmd-1 claimed, then given back unsent
    assertThat(delivered.claim("cmd-1")).isTrue();
    delivered.release("cmd-1");

    // Then it is claimed again once, and other claims are untouched
    assertThat(delivered.claim("cmd-1")).isTrue();
    assertThat(delivered.claim("cmd-1")).isFalse();
    assertThat(delivered.contains("cmd-1")).isTrue();
  }

  @Test
  void shouldRefuseClaimOfCommandReadBackFromReports() {
    // Given a report of cmd-1 read back from six days ago
    assertThat(delivered.remember("cmd-1", T0.minus(Duration.ofDays(6)))).isTrue();

    // Then cmd-1 cannot be claimed again
    assertThat(delivered.claim("cmd-1")).isFalse();
  }

  @Test
  void shouldForgetCommandsOlderThanWindow() {
    // Given a report older than the window, and a command claimed now
    assertThat(delivered.remember("old", T0.minus(Duration.ofDays(8)))).isFalse();
    delivered.claim("cmd-1");

    // When eight days pass
    clock.now = T0.plus(Duration.ofDays(8));
    delivered.claim("cmd-2");

    // Then only the recent one is kept
    assertThat(delivered.contains("cmd-1")).isFalse();
    assertThat(delivered.contains("old")).isFalse();
    assertThat(delivered.size()).isEqualTo(1);
  }
}
