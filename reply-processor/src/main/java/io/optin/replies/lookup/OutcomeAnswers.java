package io.optin.replies.lookup;

import io.optin.replies.matching.Outcome;
import java.util.Optional;

/**
 * The outcome of an answer (a reply's message sid, a code attempt's id) as the HTTP side waits for
 * it: from this instance's stores, or from the instance that owns the answer's phone.
 */
public interface OutcomeAnswers {

  /**
   * Whether the instance that decides {@code phone}'s answers is known right now; false while the
   * app starts or rebalances, when an answer recorded now could not be awaited.
   */
  boolean ownerKnown(String phone);

  /**
   * The outcome of answer {@code id} from {@code phone}, or empty when it was not decided within
   * the bounded wait (or its owner could not be asked in that time).
   */
  Optional<Outcome> await(String phone, String id);

  /**
   * The outcome a code entry of {@code codeHash} for {@code phone} and {@code programId} is bound
   * to get, known before the topology reaches it (see {@link
   * io.optin.replies.matching.SettledCodes}), or empty; empty too when the owner cannot tell now.
   */
  default Optional<Outcome> settledCode(String phone, String programId, String codeHash) {
    return Optional.empty();
  }

  /**
   * The outcome of code attempt {@code id}, or the {@link #settledCode} of its code as soon as it
   * is settled during the wait (an earlier attempt of the same code, ahead in the partition's
   * queue, confirmed the challenge): whichever is known first; empty when neither is known by the
   * end of the wait. The attempt's own outcome wins when both are known at once.
   *
   * <p>This default tells the settled code only once the wait is over.
   */
  default Optional<Outcome> awaitCode(String phone, String id, String programId, String codeHash) {
    Optional<Outcome> outcome = await(phone, id);
    return outcome.isPresent() ? outcome : settledCode(phone, programId, codeHash);
  }
}
