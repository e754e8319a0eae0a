package io.optin.ingest;

import io.optin.avro.ClaimKind;
import io.optin.avro.IntakeClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Claims judged by this instance's {@link ClaimBook} alone ({@code
 * ingest.limits.cluster.wide=false} or a single instance): nothing leaves the process, and N
 * instances allow N times each limit.
 */
final class LocalIntakeClaims implements IntakeClaims {

  private final ClaimBook book;

  LocalIntakeClaims(ClaimBook book) {
    this.book = book;
  }

  private void follow(IntakeClaim claim, ClaimKind kind) {
    if (claim.getIdempotencyKeySha256() != null) {
      // The log clock, not a wall clock: this book has no other.
      book.apply(ClaimBook.following(claim, kind, book.logClock()));
      notifyAll();
    }
  }

  @Override
  public synchronized ClaimBook.Verdict judge(IntakeClaim claim) {
    return book.apply(claim);
  }

  @Override
  public synchronized Optional<String> answerOf(String keyHash, Duration wait, Instant now) {
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

  @Override
  public synchronized void published(IntakeClaim claim) {
    follow(claim, ClaimKind.PUBLISHED);
  }

  @Override
  public synchronized void released(IntakeClaim claim) {
    follow(claim, ClaimKind.RELEASED);
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public boolean live() {
    return true;
  }

  @Override
  public void start() {}

  @Override
  public void close() {}
}
