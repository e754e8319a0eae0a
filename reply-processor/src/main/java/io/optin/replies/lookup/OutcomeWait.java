package io.optin.replies.lookup;

import io.optin.replies.matching.Outcome;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Waits, a bounded time, for the topology to decide an answer's outcome, so a webhook or the
 * verification API can reply synchronously. Woken by {@link OutcomeSignals} when this process
 * decides it; an outcome decided without a signal (another instance, or before the wait began) is
 * found by a slower poll of the lookup. Polling alone made every waiting thread query the stores 50
 * times a second, which under load took the CPU the topology needed to decide.
 */
public final class OutcomeWait implements OutcomeAnswers {

  /** Between two looks at the store when nothing signals decisions. */
  private static final long UNSIGNALLED_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  /** Between two looks at the store while waiting for a signal. */
  private static final long SIGNALLED_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final OutcomeLookup lookup;
  private final Duration max;
  private final OutcomeSignals signals;
  private final Semaphore waiters;

  /** Polls {@code lookup} every 20 ms, for a topology that signals nothing; no bound on waiters. */
  public OutcomeWait(OutcomeLookup lookup, Duration max) {
    this(lookup, max, null, Integer.MAX_VALUE);
  }

  /**
   * @param signals counted down by the topology of this process (see {@link
   *     io.optin.replies.matching.ReplyTopology}), or null for none
   * @param maxWaiters how many threads may wait at once; beyond, an answer gets the outcome known
   *     at once, or none. When the topology lags (a burst, a restart), every waiter would wait the
   *     whole {@code max}, and threads held that long would delay the next webhooks, whose replies
   *     are published only when a thread takes them: answering without the outcome keeps the
   *     replies flowing, at the cost of the confirmation text for those answers.
   */
  public OutcomeWait(OutcomeLookup lookup, Duration max, OutcomeSignals signals, int maxWaiters) {
    this.lookup = lookup;
    this.max = max;
    this.signals = signals;
    this.waiters = new Semaphore(maxWaiters);
  }

  /** Local: every owner is this instance. */
  @Override
  public boolean ownerKnown(String phone) {
    return true;
  }

  /** {@link #await(String)}: the phone does not matter to a local wait. */
  @Override
  public Optional<Outcome> await(String phone, String id) {
    return await(id);
  }

  /**
   * The outcome of {@code id}, or empty if it was not decided within the wait (or not yet, when too
   * many threads wait already).
   */
  public Optional<Outcome> await(String id) {
    return await(id, max);
  }

  /**
   * As {@link #await(String)}, waiting {@code wait} at most (never more than the configured max).
   */
  public Optional<Outcome> await(String id, Duration wait) {
    if (!waiters.tryAcquire()) {
      return lookup.outcome(id);
    }
    try {
      return waitFor(id, wait.compareTo(max) < 0 ? wait : max);
    } finally {
      waiters.release();
    }
  }

  private Optional<Outcome> waitFor(String id, Duration max) {
    CountDownLatch decided = signals == null ? new CountDownLatch(0) : signals.watch(id);
    long poll = signals == null ? UNSIGNALLED_POLL_NANOS : SIGNALLED_POLL_NANOS;
    try {
      long deadline = System.nanoTime() + max.toNanos();
      while (true) {
        Optional<Outcome> outcome = lookup.outcome(id);
        long left = deadline - System.nanoTime();
        if (outcome.isPresent() || left <= 0) {
          return outcome;
        }
        if (decided.getCount() > 0) {
          decided.await(Math.min(left, poll), TimeUnit.NANOSECONDS);
        } else {
          // Signalled (or no signals) yet not found: look again shortly rather than spin.
          TimeUnit.NANOSECONDS.sleep(Math.min(left, UNSIGNALLED_POLL_NANOS));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      if (signals != null) {
        signals.forget(id, decided);
      }
    }
  }
}
