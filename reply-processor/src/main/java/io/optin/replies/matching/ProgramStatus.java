package io.optin.replies.matching;

import io.optin.domain.status.SubscriptionStatus;

/**
 * A phone's status for one program, the challenge that last changed it, why, and when (epoch ms).
 */
public record ProgramStatus(
    SubscriptionStatus status, String challengeId, String reason, long updatedAt) {}
