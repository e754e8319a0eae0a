package io.optin.replies.lookup;

import io.optin.replies.matching.Outcome;
import java.util.Optional;

/**
 * Reads the outcome the reply topology decided for a message sid or attempt id, if it is known yet,
 * and the outcome a code entry is bound to get before the topology reaches it.
 */
public interface OutcomeLookup {

  /**
   * The outcome, or empty when not decided yet, unknown, or the store is momentarily unavailable.
   */
  Optional<Outcome> outcome(String id);

  /**
   * The outcome a code entry of {@code codeHash} for {@code phone} and {@code programId} is bound
   * to get, known before the topology reaches it (see {@link
   * io.optin.replies.matching.SettledCodes}), or empty; empty too when the store cannot tell now.
   */
  default Optional<Outcome> settledCode(String phone, String programId, String codeHash) {
    return Optional.empty();
  }
}
