package io.optin.server.cli;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits, polling, for services to report ready; an interrupt ends the wait early (as not ready).
 */
public final class ReadyWait {

  private static final long POLL_MILLIS = 100;

  private ReadyWait() {}

  public static boolean await(BooleanSupplier ready, Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!ready.getAsBoolean()) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
