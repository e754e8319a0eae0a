package io.optin.webhooks;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": the n-th pause is drawn in {@code [d/2, d]} where {@code
 * d = initial * 2^(n-1)} capped at {@code max}, so pauses never shrink from one attempt to the next
 * while receivers that failed together do not retry in lockstep.
 */
public record Backoff(Duration initial, Duration max) {

  public Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max");
    }
  }

  /**
   * The pause after the {@code failures}-th failed attempt (1 for the first).
   *
   * @param random a uniform draw in {@code [0, 1)}
   */
  public Duration pause(int failures, DoubleSupplier random) {
    if (failures < 1) {
      throw new IllegalArgumentException("failures must be at least 1");
    }
    long ceiling = max.toMillis();
    long base = initial.toMillis();
    for (int i = 1; i < failures && base < ceiling; i++) {
      base = Math.min(ceiling, base * 2);
    }
    long half = base / 2;
    return Duration.ofMillis(half + (long) Math.floor(random.getAsDouble() * (base - half + 1)));
  }
}
