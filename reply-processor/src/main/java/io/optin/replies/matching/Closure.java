package io.optin.replies.matching;

import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConfirmationMethod;

/**
 * A challenge that a decision closes: how, why, by which confirmation method (only for CONFIRMED)
 * and at which event time (epoch ms).
 */
public record Closure(
    OpenChallenge challenge,
    ChallengeOutcome outcome,
    String reason,
    ConfirmationMethod method,
    long at) {}
