package io.optin.dispatcher.sender;

import io.optin.dispatcher.sms.Sleeper;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Spaces provider requests evenly at most {@code messagesPerSecond}, across all sending threads:
 * each caller takes the next free slot and waits for it, so a burst of commands never exceeds the
 * account's rate.
 */
final class SendPacer {

  private final long intervalNanos;
  private final Sleeper sleeper;
  private final LongSupplier nanoTime;
  private long nextFreeSlot;
  private boolean started;

  SendPacer(double messagesPerSecond) {
    this(messagesPerSecond, Sleeper.REAL, System::nanoTime);
  }

  SendPacer(double messagesPerSecond, Sleeper sleeper, LongSupplier nanoTime) {
    if (!(messagesPerSecond > 0)) {
      throw new IllegalArgumentException(
          "messages per second must be positive: " + messagesPerSecond);
    }
    this.intervalNanos = Math.max(1, Math.round(1_000_000_000d / messagesPerSecond));
    this.sleeper = sleeper;
    this.nanoTime = nanoTime;
  }

  /** Waits until the caller may send one request. */
  void acquire() throws InterruptedException {
    long wait;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      long slot = started && nextFreeSlot - now > 0 ? nextFreeSlot : now;
      started = true;
      nextFreeSlot = slot + intervalNanos;
      wait = slot - now;
    }
    if (wait > 0) {
      sleeper.sleep(Duration.ofNanos(wait));
    }
  }
}
