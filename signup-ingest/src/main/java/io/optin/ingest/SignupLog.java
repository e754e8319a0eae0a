package io.optin.ingest;

import io.optin.avro.SignupRequested;
import java.util.concurrent.CompletableFuture;

/**
 * Answers whether a signup whose delivery timed out is in {@code optin.signup-requests.v1} after
 * all: the producer cannot tell (the broker may have written it and lost only the answer), and its
 * idempotency key must not be freed for a second signup if it was written.
 */
interface SignupLog {

  /** Knows nothing: every such key stays held until the claim book abandons it. */
  SignupLog UNKNOWN =
      signup ->
          CompletableFuture.failedFuture(
              new UnsupportedOperationException("no signup log to look in"));

  /**
   * Completes true when the signup (its id, under its phone's key) is in the log, false when it
   * certainly is not, exceptionally when that could not be found out.
   */
  CompletableFuture<Boolean> holds(SignupRequested signup);
}
