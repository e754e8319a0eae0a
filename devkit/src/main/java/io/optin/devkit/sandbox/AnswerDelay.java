package io.optin.devkit.sandbox;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long the Messages API holds its answer to a message it has already accepted: a slow provider.
 * A change applies to the answers already held too, so shortening the delay releases them.
 */
final class AnswerDelay {

  private static final Duration LONGEST = Duration.ofHours(1);

  private Duration delay = Duration.ZERO;
  private int held;

  synchronized void set(Duration newDelay) {
    if (newDelay.isNegative() || newDelay.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException(
          "delay must be between 0 and " + LONGEST + ": " + newDelay);
    }
    delay = newDelay;
    notifyAll();
  }

  /** Answers being held right now. */
  synchronized int held() {
    return held;
  }

  /**
   * Blocks until the current delay has passed since {@code acceptedAtNanos} ({@link
   * System#nanoTime()}).
   */
  synchronized void awaitAnswerTime(long acceptedAtNanos) throws InterruptedException {
    held++;
    try {
      for (long left = remaining(acceptedAtNanos); left > 0; left = remaining(acceptedAtNanos)) {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    } finally {
      held--;
    }
  }

  private long remaining(long acceptedAtNanos) {
    return acceptedAtNanos + delay.toNanos() - System.nanoTime();
  }
}
