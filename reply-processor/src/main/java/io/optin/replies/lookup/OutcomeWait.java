package io.optin.replies.lookup;

import io.optin.replies.matching.Outcome;
import java.time.Duration;
import java.util.Optional;

/**
 * Waits, a bounded time, for the topology to decide an answer's outcome, so a webhook or the
 * verification API can reply synchronously. Polls the lookup: outcomes are decided in milliseconds
 * when the pipeline is healthy.
 */
public final class OutcomeWait {

  private static final long POLL_MS = 20;

  private final OutcomeLookup lookup;
  private final Duration max;

  public OutcomeWait(OutcomeLookup lookup, Duration max) {
    this.lookup = lookup;
    this.max = max;
  }

  /** The outcome of {@code id}, or empty if it was not decided within the wait. */
  public Optional<Outcome> await(String id) {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      Optional<Outcome> outcome = lookup.outcome(id);
      if (outcome.isPresent() || System.nanoTime() >= deadline) {
        return outcome;
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }
}
