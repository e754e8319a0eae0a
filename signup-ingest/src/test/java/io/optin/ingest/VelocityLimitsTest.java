package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.ingest.VelocityLimits.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VelocityLimitsTest {

  private static final String PHONE = "+14155550100";
  private static final String IP = "203.0.113.7";

  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));

  @Test
  void shouldAllowFiveSignupsPerPhoneThenTripWithTheWaitForTheNextToken() {
    VelocityLimits limits = new VelocityLimits(5, 20, clock);

    for (int i = 0; i < 5; i++) {
      assertThat(limits.acquire(PHONE, IP)).isEqualTo(Verdict.ALLOWED);
    }
    Verdict sixth = limits.acquire(PHONE, IP);

    // 5 an hour refill one token every 12 minutes
    assertThat(sixth).isEqualTo(new Verdict.Tripped("phone", 5, Duration.ofMinutes(12)));
  }

  @Test
  void shouldRefillContinuously() {
    VelocityLimits limits = new VelocityLimits(5, 20, clock);
    for (int i = 0; i < 5; i++) {
      limits.acquire(PHONE, null);
    }

    clock.advance(Duration.ofMinutes(6));
    Verdict halfway = limits.acquire(PHONE, null);
    clock.advance(Duration.ofMinutes(6));
    Verdict refilled = limits.acquire(PHONE, null);

    assertThat(halfway).isEqualTo(new Verdict.Tripped("phone", 5, Duration.ofMinutes(6)));
    assertThat(refilled).isEqualTo(Verdict.ALLOWED);
    assertThat(limits.acquire(PHONE, null)).isInstanceOf(Verdict.Tripped.class);
  }

  @Test
  void shouldNeverHoldMoreThanOneHourOfTokens() {
    VelocityLimits limits = new VelocityLimits(2, 20, clock);
    limits.acquire(PHONE, null);

    clock.advance(Duration.ofDays(3));

    assertThat(limits.acquire(PHONE, null)).isEqualTo(Verdict.ALLOWED);
    assertThat(limits.acquire(PHONE, null)).isEqualTo(Verdict.ALLOWED);
    assertThat(limits.acquire(PHONE, null)).isInstanceOf(Verdict.Tripped.class);
  }

  @Test
  void shouldLimitAnIpAcrossPhones() {
    VelocityLimits limits = new VelocityLimits(5, 20, clock);
    for (int i = 0; i < 20; i++) {
      assertThat(limits.acquire("+1415555" + (1000 + i), IP)).isEqualTo(Verdict.ALLOWED);
    }

    Verdict limited = limits.acquire("+14155552000", IP);

    assertThat(limited).isEqualTo(new Verdict.Tripped("ip", 20, Duration.ofMinutes(3)));
    assertThat(limits.acquire("+14155552000", "198.51.100.1")).isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void shouldSpendNoPhoneTokenWhenTheIpLimitTrips() {
    VelocityLimits limits = new VelocityLimits(1, 1, clock);
    limits.acquire("+14155550199", IP);

    Verdict byIp = limits.acquire(PHONE, IP);
    Verdict otherIp = limits.acquire(PHONE, "198.51.100.1");

    assertThat(byIp).isInstanceOf(Verdict.Tripped.class);
    assertThat(otherIp).isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void shouldTurnALimitOffWhenItIsZero() {
    VelocityLimits limits = new VelocityLimits(0, 0, clock);

    for (int i = 0; i < 1000; i++) {
      assertThat(limits.acquire(PHONE, IP)).isEqualTo(Verdict.ALLOWED);
    }
    assertThat(limits.tracked()).isZero();
  }

  @Test
  void shouldBoundTheKeysItTracksForgettingFullBucketsFirst() {
    VelocityLimits limits = new VelocityLimits(5, 20, clock, 10);
    limits.acquire(PHONE, null);
    for (int i = 0; i < 4; i++) {
      limits.acquire(PHONE, null);
    }

    // Given an hour later every old bucket is full again, then many new phones arrive
    clock.advance(Duration.ofHours(1));
    for (int i = 0; i < 50; i++) {
      limits.acquire("+1415555" + (1000 + i), null);
    }

    assertThat(limits.tracked()).isLessThanOrEqualTo(10);
  }
}
