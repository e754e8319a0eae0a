package io.optin.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The part of {@link IntakeClaims} both kinds share: one {@link ClaimBook}, guarded by this
 * object's monitor, which is notified whenever a claim is applied so that a repeated key waiting
 * for its first answer wakes at once.
 */
abstract class BookedIntakeClaims implements IntakeClaims {

  /** Read and written only while holding this object's monitor. */
  protected final ClaimBook book;

  BookedIntakeClaims(ClaimBook book) {
    this.book = book;
  }

  @Override
  public final synchronized boolean unsettled(String keyHash) {
    return book.inFlight(keyHash);
  }

  @Override
  public final synchronized Optional<String> answerOf(String keyHash, Duration wait, Instant now) {
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      while (book.inFlight(keyHash)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        wait(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return book.answerOf(keyHash, now);
  }
}
