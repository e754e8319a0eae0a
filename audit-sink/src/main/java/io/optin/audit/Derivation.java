package io.optin.audit;

import io.optin.audit.ledger.ConsentStep;
import java.util.List;

/**
 * The consent steps one input record yields: zero or more audit steps (with an optional key under
 * which the input is recorded only once), or a refusal that sends the input to the dead letters.
 */
record Derivation(List<ConsentStep> steps, String dedupeKey, String refusal, String field) {

  static Derivation none() {
    return new Derivation(List.of(), null, null, null);
  }

  static Derivation of(ConsentStep... steps) {
    return new Derivation(List.of(steps), null, null, null);
  }

  static Derivation refused(String reason, String field) {
    return new Derivation(List.of(), null, reason, field);
  }

  /** The same steps, recorded once per {@code key} within the dedupe retention. */
  Derivation once(String key) {
    return new Derivation(steps, key, refusal, field);
  }

  boolean isRefused() {
    return refusal != null;
  }
}
