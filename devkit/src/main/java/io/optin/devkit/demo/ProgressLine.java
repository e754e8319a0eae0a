package io.optin.devkit.demo;

import io.optin.kit.threads.NamedThreads;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Shows how a run is going: on a terminal one line rewritten in place (carriage return) a few times
 * a second; otherwise (a file, a pipe, CI) a plain line every {@value #PLAIN_EVERY_SECONDS} s, so
 * logs stay readable.
 */
final class ProgressLine implements AutoCloseable {

  static final long PLAIN_EVERY_SECONDS = 5;
  private static final long TERMINAL_EVERY_MILLIS = 250;

  private final PrintWriter out;
  private final boolean terminal;
  private final Supplier<String> status;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("optin-demo-progress"));
  private int lastWidth;

  ProgressLine(PrintWriter out, boolean terminal, Supplier<String> status) {
    this.out = out;
    this.terminal = terminal;
    this.status = status;
    Duration every =
        terminal
            ? Duration.ofMillis(TERMINAL_EVERY_MILLIS)
            : Duration.ofSeconds(PLAIN_EVERY_SECONDS);
    ticker.scheduleAtFixedRate(
        this::show, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void show() {
    String text = status.get();
    if (terminal) {
      // Pads over the rest of a longer previous line.
      out.print("\r" + text + " ".repeat(Math.max(0, lastWidth - text.length())));
      lastWidth = text.length();
    } else {
      out.println(text);
    }
    out.flush();
  }

  /** Stops updating and leaves the last status on its own line. */
  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    show();
    if (terminal) {
      synchronized (this) {
        out.println();
        out.flush();
      }
    }
  }
}
