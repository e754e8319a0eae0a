package io.optin.replies.matching;

import io.optin.avro.ChallengeOutcome;
import io.optin.domain.otp.OtpCodes;
import java.util.Optional;

/**
 * A code entered again for a challenge it already confirmed is answered ALREADY_CONFIRMED before
 * the topology reaches the attempt: {@link ReplyMatcher} can decide nothing else for it once the
 * challenge is closed CONFIRMED and no open challenge of the program matches the code.
 *
 * <p>Why: the attempt is queued behind its partition's backlog, and on a lagging pipeline its
 * decision can come later than the whole {@code replies.answer.wait}, although the confirmation it
 * repeats is already known; the site asking again would get 202 for a phone confirmed seconds
 * before. Only a confirmed challenge is told this way: should a new challenge of the program draw
 * the same code before the attempt is processed, the topology confirms that one instead, and both
 * answers are the same 200.
 */
public final class SettledCodes {

  private SettledCodes() {}

  /**
   * ALREADY_CONFIRMED when {@code codeHash} is the code of a challenge of {@code programId} that
   * {@code state} holds closed CONFIRMED and of no open one; else empty (the topology decides).
   */
  public static Optional<Outcome> alreadyConfirmed(
      PhoneChallenges state, OtpCodes codes, String programId, String codeHash) {
    boolean openMatches =
        state
            .latestOpen(
                c -> c.programId().equals(programId) && codes.matches(c.challengeId(), codeHash))
            .isPresent();
    if (openMatches) {
      return Optional.empty();
    }
    return state
        .latestClosed(
            c -> c.programId().equals(programId) && codes.matches(c.challengeId(), codeHash))
        .filter(c -> c.outcome() == ChallengeOutcome.CONFIRMED)
        .map(c -> Outcome.ALREADY_CONFIRMED);
  }
}
