package io.optin.dispatcher.sender;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;

/**
 * The outbox commands this sender has already handled within the dedupe window: a command id is
 * claimed once, and every later claim of it is refused, so one command never texts twice. Entries
 * older than the window are forgotten (the outbox keeps commands no longer than that). Thread-safe.
 */
public final class DeliveredCommands {

  private final Duration window;
  private final Clock clock;

  /** Command id to when it was handled, in the order they were added (close to time order). */
  private final LinkedHashMap<String, Instant> handled = new LinkedHashMap<>();

  public DeliveredCommands(Duration window, Clock clock) {
    this.window = Objects.requireNonNull(window, "window");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Records a command handled at {@code at} (read back from the delivery reports); true if it was
   * new.
   */
  public synchronized boolean remember(String commandId, Instant at) {
    forgetExpired();
    if (at.isBefore(cutoff())) {
      return false;
    }
    Instant previous = handled.putIfAbsent(commandId, at);
    return previous == null;
  }

  /** Takes a command for sending now: true the first time, false if it was already handled. */
  public synchronized boolean claim(String commandId) {
    forgetExpired();
    return handled.putIfAbsent(commandId, clock.instant()) == null;
  }

  /** Gives back a claim whose command was not sent after all (see {@link #claim}). */
  public synchronized void release(String commandId) {
    handled.remove(commandId);
  }

  public synchronized boolean contains(String commandId) {
    return handled.containsKey(commandId);
  }

  public synchronized int size() {
    return handled.size();
  }

  private Instant cutoff() {
    return clock.instant().minus(window);
  }

  private void forgetExpired() {
    Instant cutoff = cutoff();
    // Reports replayed on start arrive per partition, not in global time order: stop at the first
    // recent entry
    // rather than scanning the whole map; a few stale entries live a little longer, which is
    // harmless.
    for (Iterator<Instant> it = handled.values().iterator(); it.hasNext(); ) {
      if (!it.next().isBefore(cutoff)) {
        return;
      }
      it.remove();
    }
  }
}
