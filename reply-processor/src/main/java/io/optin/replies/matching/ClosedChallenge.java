package io.optin.replies.matching;

import io.optin.avro.ChallengeOutcome;

/**
 * A challenge that has ended, remembered for a while so a late or repeated answer gets the right
 * reply (already confirmed, expired, locked) instead of "no challenge".
 */
public record ClosedChallenge(
    String challengeId,
    String programId,
    long issuedAt,
    long expiresAt,
    ChallengeOutcome outcome,
    long closedAt) {}
