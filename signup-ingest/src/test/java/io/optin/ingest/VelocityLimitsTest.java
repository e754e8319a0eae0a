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

  @Test
  void shouldLimitANumberPrefixAcrossPhonesAndIps() {
    // Given 3 signups an hour per prefix
    VelocityLimits limits = new VelocityLimits(5, 20, 3, 2000, clock);
    for (int i = 0; i < 3; i++) {
      assertThat(limits.acquire("+1415555010" + i, "192.0.2." + (i + 1), "+141555", "US"))
          .isEqualTo(Verdict.ALLOWED);
    }

    // When a fourth phone of that prefix signs up from yet another IP
    Verdict limited = limits.acquire("+14155550109", "192.0.2.9", "+141555", "US");

    // Then the prefix trips (a token every 20 minutes), and another prefix of the same country
    // still passes
    assertThat(limited).isEqualTo(new Verdict.Tripped("prefix", 3, Duration.ofMinutes(20)));
    assertThat(limits.acquire("+12125550100", "192.0.2.10", "+121255", "US"))
        .isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void shouldLimitACountryAcrossPrefixes() {
    // Given 2 signups an hour per country
    VelocityLimits limits = new VelocityLimits(5, 20, 200, 2, clock);
    limits.acquire("+14155550100", "192.0.2.1", "+141555", "US");
    limits.acquire("+12125550100", "192.0.2.2", "+121255", "US");

    // When a third number of that country signs up under a third prefix
    Verdict limited = limits.acquire("+13105550100", "192.0.2.3", "+131055", "US");

    // Then the country trips (a token every 30 minutes), and another country still passes
    assertThat(limited).isEqualTo(new Verdict.Tripped("country", 2, Duration.ofMinutes(30)));
    assertThat(limits.acquire("+33612345678", "192.0.2.4", "+336123", "FR"))
        .isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void shouldSpendNoOtherTokenWhenTheCountryLimitTrips() {
    // Given a country limit of 1 already spent, and a prefix limit of 1
    VelocityLimits limits = new VelocityLimits(5, 20, 1, 1, clock);
    limits.acquire("+12125550100", "192.0.2.1", "+121255", "US");

    // When a number of another prefix of that country is refused by the country limit
    Verdict byCountry = limits.acquire(PHONE, IP, "+141555", "US");

    // Then its prefix token was not spent: the same prefix passes under another country's key
    assertThat(byCountry).isInstanceOf(Verdict.Tripped.class);
    assertThat(((Verdict.Tripped) byCountry).limit()).isEqualTo("country");
    assertThat(limits.acquire(PHONE, IP, "+141555", "CA")).isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void shouldLeaveThePrefixAndCountryUnlimitedWhenNotGiven() {
    VelocityLimits limits = new VelocityLimits(1000, 1000, 1, 1, clock);

    for (int i = 0; i < 10; i++) {
      assertThat(limits.acquire("+1415555" + (1000 + i), IP)).isEqualTo(Verdict.ALLOWED);
    }
  }
}
