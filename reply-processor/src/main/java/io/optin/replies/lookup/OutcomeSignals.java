package io.optin.replies.lookup;

import io.optin.replies.matching.OutcomeListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the threads waiting for an answer's outcome when this process's topology records it, and
 * the code entries waiting on a phone when one of its challenges is confirmed. Only answers someone
 * waits for are held, and only while they wait.
 */
public final class OutcomeSignals implements OutcomeListener {

  private final ConcurrentHashMap<String, Set<Waiter>> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<Waiter>> byPhone = new ConcurrentHashMap<>();

  @Override
  public void decided(String id) {
    Set<Waiter> waiters = byId.get(id);
    if (waiters != null) {
      waiters.forEach(Waiter::markDecided);
    }
  }

  @Override
  public void confirmed(String phone) {
    Set<Waiter> waiters = byPhone.get(phone);
    if (waiters != null) {
      waiters.forEach(Waiter::wake);
    }
  }

  /**
   * A waiter woken when {@code id}'s outcome is recorded and, with a {@code phone} (else null),
   * when a challenge of that phone is confirmed; {@link #forget} it after.
   */
  Waiter watch(String id, String phone) {
    Waiter waiter = new Waiter(id, phone);
    add(byId, id, waiter);
    if (phone != null) {
      add(byPhone, phone, waiter);
    }
    return waiter;
  }

  void forget(Waiter waiter) {
    remove(byId, waiter.id, waiter);
    if (waiter.phone != null) {
      remove(byPhone, waiter.phone, waiter);
    }
  }

  /** Answers being waited for right now. */
  int watched() {
    return byId.size();
  }

  /** Phones whose confirmations are waited for right now. */
  int watchedPhones() {
    return byPhone.size();
  }

  // Added and removed under the map's lock for the key, so an emptied set is never dropped while
  // another waiter joins it; signals iterate without it (the sets are concurrent).
  private static void add(ConcurrentHashMap<String, Set<Waiter>> map, String key, Waiter waiter) {
    map.compute(
        key,
        (k, waiters) -> {
          Set<Waiter> set = waiters == null ? ConcurrentHashMap.newKeySet() : waiters;
          set.add(waiter);
          return set;
        });
  }

  private static void remove(
      ConcurrentHashMap<String, Set<Waiter>> map, String key, Waiter waiter) {
    map.computeIfPresent(
        key,
        (k, waiters) -> {
          waiters.remove(waiter);
          return waiters.isEmpty() ? null : waiters;
        });
  }

  /**
   * One waiting thread. A wake-up is kept until the thread takes it (a permit), so a signal that
   * comes between two looks at the stores is never lost.
   */
  static final class Waiter {

    private final String id;
    private final String phone;
    private final Semaphore wakes = new Semaphore(0);
    private volatile boolean decided;

    private Waiter(String id, String phone) {
      this.id = id;
      this.phone = phone;
    }

    /** Whether the topology told this waiter's own outcome recorded. */
    boolean isDecided() {
      return decided;
    }

    /**
     * Waits for a signal at most {@code nanos}; takes every wake-up pending.
     *
     * @return whether a signal came
     */
    boolean await(long nanos) throws InterruptedException {
      boolean woken = wakes.tryAcquire(nanos, TimeUnit.NANOSECONDS);
      wakes.drainPermits();
      return woken;
    }

    private void markDecided() {
      decided = true;
      wake();
    }

    private void wake() {
      wakes.release();
    }
  }
}
