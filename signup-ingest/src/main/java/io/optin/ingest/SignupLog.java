package io.optin.ingest;

import java.util.concurrent.CompletableFuture;

/**
 * Answers whether a signup is in {@code optin.signup-requests.v1} when its producer could not tell:
 * a delivery that timed out (the broker may have written it and lost only the answer), or the
 * signup of a claim whose {@code PUBLISHED} never came (its instance died after sending it). Its
 * idempotency key must not be freed for a second signup if it was written.
 */
interface SignupLog {

  /** Knows nothing: every such key stays held, and its repeats are answered 503. */
  SignupLog UNKNOWN =
      signup ->
          CompletableFuture.failedFuture(
              new UnsupportedOperationException("no signup log to look in"));

  /**
   * Completes true when the signup (its id, under its phone's key) is in the log, false when it
   * certainly is not, exceptionally when that could not be found out.
   */
  CompletableFuture<Boolean> holds(SoughtSignup signup);
}
