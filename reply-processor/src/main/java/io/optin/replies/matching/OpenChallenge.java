package io.optin.replies.matching;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.SourceChannel;

/**
 * A challenge waiting for its answer: a reply or attempt with event time {@code r} may confirm it
 * iff {@code issuedAt <= r < expiresAt}. Times are epoch milliseconds; the code itself is never
 * held.
 */
public record OpenChallenge(
    String challengeId,
    String programId,
    String signupId,
    String fromNumber,
    long issuedAt,
    long expiresAt,
    int failedAttempts,
    int resendCount,
    String locale,
    SourceChannel channel,
    String consentTextSha256,
    Long requestedAt) {

  /** The open challenge an ISSUED or RESENT event describes. */
  public static OpenChallenge of(ChallengeEvent event) {
    return new OpenChallenge(
        event.getChallengeId(),
        event.getProgramId(),
        event.getSignupId(),
        event.getFromNumber(),
        event.getIssuedAt().toEpochMilli(),
        event.getExpiresAt().toEpochMilli(),
        event.getFailedAttempts(),
        event.getResendCount(),
        event.getLocale(),
        event.getChannel(),
        event.getConsentTextSha256(),
        event.getRequestedAt() == null ? null : event.getRequestedAt().toEpochMilli());
  }

  /** Whether a reply at event time {@code r} falls in the confirmation window (end exclusive). */
  public boolean inWindow(long r) {
    return issuedAt <= r && r < expiresAt;
  }

  /** Whether the window had ended at event time {@code r}. */
  public boolean passedAt(long r) {
    return r >= expiresAt;
  }

  /** The same challenge with one more wrong code counted. */
  public OpenChallenge withFailedAttempt() {
    return new OpenChallenge(
        challengeId,
        programId,
        signupId,
        fromNumber,
        issuedAt,
        expiresAt,
        failedAttempts + 1,
        resendCount,
        locale,
        channel,
        consentTextSha256,
        requestedAt);
  }

  /**
   * The same challenge refreshed by a RESENT event: the resend count moves, the window and the
   * wrong codes counted so far stay (a resend sends the same code, so it must not reset the attempt
   * budget).
   */
  public OpenChallenge refreshedBy(OpenChallenge resent) {
    return new OpenChallenge(
        challengeId,
        programId,
        signupId,
        resent.fromNumber != null ? resent.fromNumber : fromNumber,
        issuedAt,
        expiresAt,
        Math.max(failedAttempts, resent.failedAttempts),
        Math.max(resendCount, resent.resendCount),
        locale,
        channel,
        consentTextSha256,
        requestedAt);
  }

  /** How this challenge is remembered once closed. */
  public ClosedChallenge closed(ChallengeOutcome outcome, long closedAt) {
    return new ClosedChallenge(
        challengeId, programId, issuedAt, expiresAt, outcome, closedAt, fromNumber);
  }
}
