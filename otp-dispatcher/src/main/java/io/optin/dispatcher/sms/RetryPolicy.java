package io.optin.dispatcher.sms;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How often and how patiently to retry a transient send failure: at most {@code maxAttempts}
 * attempts, waiting {@code initialDelay × multiplier^(n-1)} (capped at {@code maxDelay}) before
 * retry n, minus a random share of up to {@code jitter} of it so that many senders failing together
 * do not retry in lockstep.
 */
public record RetryPolicy(
    int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier, double jitter) {

  /** The sender's backoff before a retry: 0.5 s, doubling up to 10 s. */
  private static final Duration FIRST_DELAY = Duration.ofMillis(500);

  private static final Duration LONGEST_DELAY = Duration.ofSeconds(10);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException(
          "need 0 <= initialDelay <= maxDelay: " + initialDelay + ", " + maxDelay);
    }
    if (multiplier < 1.0) {
      throw new IllegalArgumentException("multiplier must be >= 1: " + multiplier);
    }
    if (jitter < 0.0 || jitter > 1.0) {
      throw new IllegalArgumentException("jitter must be within [0, 1]: " + jitter);
    }
  }

  /**
   * The sender's policy: {@code maxAttempts} attempts ({@code sms.max.attempts}), waiting 0.5 s
   * before the first retry and twice as long before each next one, up to 10 s, each up to half
   * shorter.
   */
  public static RetryPolicy backoff(int maxAttempts) {
    return new RetryPolicy(maxAttempts, FIRST_DELAY, LONGEST_DELAY, 2.0, 0.5);
  }

  /** Never retries. */
  public static RetryPolicy noRetries() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, 0.0);
  }

  public boolean allowsAnotherAttempt(int attemptsMade) {
    return attemptsMade < maxAttempts;
  }

  /**
   * The wait before retry number {@code retry} (1 = the second attempt); {@code random} yields
   * values in [0, 1).
   */
  public Duration delayBeforeRetry(int retry, DoubleSupplier random) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry numbers start at 1: " + retry);
    }
    double exponential = initialDelay.toNanos() * Math.pow(multiplier, retry - 1);
    double capped = Math.min(exponential, maxDelay.toNanos());
    double jittered = capped * (1.0 - jitter * random.getAsDouble());
    return Duration.ofNanos(Math.round(jittered));
  }
}
