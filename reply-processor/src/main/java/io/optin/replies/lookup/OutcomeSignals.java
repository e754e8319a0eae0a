package io.optin.replies.lookup;

import io.optin.replies.matching.OutcomeListener;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Wakes the threads waiting for an answer's outcome when this process's topology records it. Only
 * answers someone waits for are held, and only while they wait.
 */
public final class OutcomeSignals implements OutcomeListener {

  private final ConcurrentHashMap<String, CountDownLatch> waiting = new ConcurrentHashMap<>();

  @Override
  public void decided(String id) {
    CountDownLatch latch = waiting.get(id);
    if (latch != null) {
      latch.countDown();
    }
  }

  /** A latch counted down when {@code id}'s outcome is recorded; {@link #forget} it after. */
  CountDownLatch watch(String id) {
    return waiting.computeIfAbsent(id, key -> new CountDownLatch(1));
  }

  void forget(String id, CountDownLatch latch) {
    waiting.remove(id, latch);
  }

  /** Answers being waited for right now. */
  int watched() {
    return waiting.size();
  }
}
