package io.optin.replies.matching;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the reply topology.
 *
 * @param maxAttempts wrong codes a challenge takes before it locks ({@code otp.max.attempts},
 *     default 5)
 * @param expiryGrace how long after {@code expiresAt} a challenge is closed EXPIRED, so an
 *     in-window answer still in flight wins ({@code otp.expiry.grace}, default 5 s)
 * @param punctuationInterval how often the wall-clock expiry runs (default 1 s)
 * @param dedupeRetention how long a message sid or attempt id is remembered as processed (default 7
 *     days)
 * @param outcomeRetention how long an answer's outcome stays readable by the HTTP side (default 1
 *     h)
 * @param closedRetention how long a closed challenge is remembered to answer late replies (default
 *     7 days)
 * @param purgeInterval how often the retention purge runs (default 1 min)
 */
public record ReplyTopologyConfig(
    int maxAttempts,
    Duration expiryGrace,
    Duration punctuationInterval,
    Duration dedupeRetention,
    Duration outcomeRetention,
    Duration closedRetention,
    Duration purgeInterval) {

  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_EXPIRY_GRACE = Duration.ofSeconds(5);

  public ReplyTopologyConfig {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("otp.max.attempts must be at least 1, got " + maxAttempts);
    }
    requirePositive(expiryGrace, "otp.expiry.grace", true);
    requirePositive(punctuationInterval, "punctuation interval", false);
    requirePositive(dedupeRetention, "dedupe retention", false);
    requirePositive(outcomeRetention, "outcome retention", false);
    requirePositive(closedRetention, "closed challenge retention", false);
    requirePositive(purgeInterval, "purge interval", false);
  }

  public static ReplyTopologyConfig defaults() {
    return new ReplyTopologyConfig(
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_EXPIRY_GRACE,
        Duration.ofSeconds(1),
        Duration.ofDays(7),
        Duration.ofHours(1),
        Duration.ofDays(7),
        Duration.ofMinutes(1));
  }

  public ReplyTopologyConfig withMaxAttempts(int attempts) {
    return new ReplyTopologyConfig(
        attempts,
        expiryGrace,
        punctuationInterval,
        dedupeRetention,
        outcomeRetention,
        closedRetention,
        purgeInterval);
  }

  public ReplyTopologyConfig withExpiryGrace(Duration grace) {
    return new ReplyTopologyConfig(
        maxAttempts,
        grace,
        punctuationInterval,
        dedupeRetention,
        outcomeRetention,
        closedRetention,
        purgeInterval);
  }

  private static void requirePositive(Duration value, String name, boolean zeroAllowed) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || (!zeroAllowed && value.isZero())) {
      throw new IllegalArgumentException(
          name + " must be " + (zeroAllowed ? "zero or more" : "positive") + ", got " + value);
    }
  }
}
