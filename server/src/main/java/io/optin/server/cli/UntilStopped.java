package io.optin.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a long-running command alive until Ctrl-C (a JVM shutdown) or an interrupt of its thread,
 * then runs its stop on the command's own thread; the shutdown hook waits for that stop, since the
 * JVM halts once hooks return.
 */
public final class UntilStopped {

  /**
   * Long enough for a broker to flush and stop; short enough that a stuck stop does not hang the
   * terminal.
   */
  private static final long STOP_WAIT_SECONDS = 60;

  private final PrintWriter out;
  private final String name;
  private final Runnable whileRunning;
  private final Runnable stop;

  /**
   * @param whileRunning run once everything has started (printing where it listens, for example);
   *     an interrupt during it stops the command too
   */
  public UntilStopped(PrintWriter out, String name, Runnable whileRunning, Runnable stop) {
    this.out = out;
    this.name = name;
    this.whileRunning = whileRunning;
    this.stop = stop;
  }

  /** Returns 0 once stopped; the thread's interrupt flag is kept when an interrupt stopped it. */
  public int run() {
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stopRequested.countDown();
              awaitQuietly(stopped);
            },
            name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean interrupted = false;
    try {
      whileRunning.run();
      stopRequested.await();
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      removeHook(hook);
      stop.run();
      stopped.countDown();
      out.flush();
    }
    if (interrupted || Thread.interrupted()) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is what woke us: it is running and waits for this stop.
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
