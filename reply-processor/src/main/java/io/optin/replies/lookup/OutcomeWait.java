package io.optin.replies.lookup;

import io.optin.replies.matching.Outcome;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Waits, a bounded time, for the topology to decide an answer's outcome, so a webhook or the
 * verification API can reply synchronously. Woken by {@link OutcomeSignals} when this process
 * decides it; an outcome decided without a signal (another instance, or before the wait began) is
 * found by a slower poll of the lookup. A code entry's wait also ends as soon as its code is
 * settled (woken by the topology's confirmation of the phone's challenge, or found by the same
 * poll). Polling alone made every waiting thread query the stores 50 times a second, which under
 * load took the CPU the topology needed to decide.
 */
public final class OutcomeWait implements OutcomeAnswers {

  /** Between two looks at the store when nothing signals decisions. */
  private static final long UNSIGNALLED_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  /** Between two looks at the store while waiting for a signal. */
  private static final Duration SIGNALLED_POLL = Duration.ofMillis(250);

  private final OutcomeLookup lookup;
  private final Duration max;
  private final OutcomeSignals signals;
  private final Semaphore waiters;
  private final long signalledPollNanos;

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
    this(lookup, max, signals, maxWaiters, SIGNALLED_POLL);
  }

  /** As above, looking at the store every {@code signalledPoll} between signals. */
  OutcomeWait(
      OutcomeLookup lookup,
      Duration max,
      OutcomeSignals signals,
      int maxWaiters,
      Duration signalledPoll) {
    this.lookup = lookup;
    this.max = max;
    this.signals = signals;
    this.waiters = new Semaphore(maxWaiters);
    this.signalledPollNanos = signalledPoll.toNanos();
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

  /** Read from this instance's stores. */
  @Override
  public Optional<Outcome> settledCode(String phone, String programId, String codeHash) {
    return lookup.settledCode(phone, programId, codeHash);
  }

  @Override
  public Optional<Outcome> awaitCode(String phone, String id, String programId, String codeHash) {
    return awaitCode(phone, id, programId, codeHash, max);
  }

  /**
   * As {@link #awaitCode(String, String, String, String)}, waiting {@code wait} at most (never more
   * than the configured max). The settled code is read at each look at the store, and a
   * confirmation of the phone's challenge by this process's topology wakes the waiter at once.
   */
  public Optional<Outcome> awaitCode(
      String phone, String id, String programId, String codeHash, Duration wait) {
    return await(id, phone, () -> lookup.settledCode(phone, programId, codeHash), wait);
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
    return await(id, null, Optional::empty, wait);
  }

  /**
   * @param phone whose confirmations wake the waiter too, or null
   * @param settled an outcome that ends the wait before {@code id}'s own is known
   */
  private Optional<Outcome> await(
      String id, String phone, Supplier<Optional<Outcome>> settled, Duration wait) {
    if (!waiters.tryAcquire()) {
      return look(id, settled);
    }
    try {
      return waitFor(id, phone, settled, wait.compareTo(max) < 0 ? wait : max);
    } finally {
      waiters.release();
    }
  }

  private Optional<Outcome> waitFor(
      String id, String phone, Supplier<Optional<Outcome>> settled, Duration max) {
    OutcomeSignals.Waiter waiter = signals == null ? null : signals.watch(id, phone);
    try {
      long deadline = System.nanoTime() + max.toNanos();
      while (true) {
        Optional<Outcome> outcome = look(id, settled);
        long left = deadline - System.nanoTime();
        if (outcome.isPresent() || left <= 0) {
          return outcome;
        }
        if (waiter == null || waiter.isDecided()) {
          // Signalled (or no signals) yet not found: look again shortly rather than spin.
          TimeUnit.NANOSECONDS.sleep(Math.min(left, UNSIGNALLED_POLL_NANOS));
        } else {
          waiter.await(Math.min(left, signalledPollNanos));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      if (waiter != null) {
        signals.forget(waiter);
      }
    }
  }

  /**
   * {@code id}'s outcome, else the settled one. When only the settled one is found, the own outcome
   * is read once more: this very attempt may have confirmed the challenge between the two reads,
   * and its answer is then {@code confirmed}, not {@code already_confirmed}.
   */
  private Optional<Outcome> look(String id, Supplier<Optional<Outcome>> settled) {
    Optional<Outcome> outcome = lookup.outcome(id);
    if (outcome.isPresent()) {
      return outcome;
    }
    Optional<Outcome> known = settled.get();
    if (known.isEmpty()) {
      return known;
    }
    outcome = lookup.outcome(id);
    return outcome.isPresent() ? outcome : known;
  }
}
