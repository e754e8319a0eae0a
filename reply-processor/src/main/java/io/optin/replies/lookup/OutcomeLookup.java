package io.optin.replies.lookup;

import io.optin.replies.matching.Outcome;
import java.util.Optional;

/**
 * Reads the outcome the reply topology decided for a message sid or attempt id, if it is known yet.
 */
public interface OutcomeLookup {

  /**
   * The outcome, or empty when not decided yet, unknown, or the store is momentarily unavailable.
   */
  Optional<Outcome> outcome(String id);
}
