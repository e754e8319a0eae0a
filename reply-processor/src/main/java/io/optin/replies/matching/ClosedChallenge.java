package io.optin.replies.matching;

import io.optin.avro.ChallengeOutcome;

/**
 * A challenge that has ended, remembered for a while so a late or repeated answer gets the right
 * reply (already confirmed, expired, locked) instead of "no challenge", and so a STOP sent to its
 * number later knows its program ({@code fromNumber}: null in states stored before it was kept).
 */
public record ClosedChallenge(
    String challengeId,
    String programId,
    long issuedAt,
    long expiresAt,
    ChallengeOutcome outcome,
    long closedAt,
    String fromNumber) {

  public ClosedChallenge(
      String challengeId,
      String programId,
      long issuedAt,
      long expiresAt,
      ChallengeOutcome outcome,
      long closedAt) {
    this(challengeId, programId, issuedAt, expiresAt, outcome, closedAt, null);
  }
}
