package io.optin.ingest;

import io.optin.avro.IntakeClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the front door's signups claim their velocity tokens and idempotency keys: the {@link
 * ClaimBook} of this instance alone ({@link LocalIntakeClaims}), or the one every instance applies
 * from {@code optin.intake-claims.v1} ({@link ReplicatedIntakeClaims}).
 */
interface IntakeClaims extends AutoCloseable {

  /**
   * Judges a {@code CLAIM} in its turn.
   *
   * @throws ClaimsUnavailable when it could not be judged in time: nothing may be published
   */
  ClaimBook.Verdict judge(IntakeClaim claim) throws ClaimsUnavailable;

  /**
   * The signupId a key was answered with, waiting at most {@code wait} while a claim of it is in
   * flight; empty when the key is free (never claimed, released, expired by {@code now}) or still
   * in flight at the end.
   */
  Optional<String> answerOf(String keyHash, Duration wait, Instant now);

  /** Whether a claim holds the key and its signup is not known published (in flight, abandoned). */
  boolean unsettled(String keyHash);

  /** Tells every instance that the claim's signup is published (not awaited). */
  void published(IntakeClaim claim);

  /** Tells every instance that the claim's signup was not published (not awaited). */
  void released(IntakeClaim claim);

  /** Whether every claim of the windows still open has been applied. */
  boolean ready();

  /** False once claims can no longer be judged here (the restart of the process is the fix). */
  boolean live();

  void start();

  @Override
  void close();

  /** A claim that was not judged in time. */
  final class ClaimsUnavailable extends Exception {
    private static final long serialVersionUID = 1L;

    ClaimsUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
