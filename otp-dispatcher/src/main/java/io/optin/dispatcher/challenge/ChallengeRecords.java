package io.optin.dispatcher.challenge;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.SignupRequested;
import io.optin.avro.SmsKind;
import io.optin.avro.SmsSendRequested;
import java.time.Instant;

/**
 * Builds the records the dispatcher publishes about a challenge; none of them ever carries a code.
 */
final class ChallengeRecords {

  private final String sender;
  private final String fromNumber;

  ChallengeRecords(ChallengeTopologyConfig config) {
    this.sender = config.sender();
    this.fromNumber = config.fromNumber();
  }

  /** ISSUED or RESENT: the challenge's own facts, as of event time {@code t}. */
  ChallengeEvent sent(
      ChallengeEventType type, ProgramChallenge challenge, SignupRequested signup, Instant t) {
    return ChallengeEvent.newBuilder()
        .setChallengeId(challenge.challengeId())
        .setType(type)
        .setSignupId(challenge.signupId())
        .setProgramId(signup.getProgramId())
        .setPhone(signup.getPhone())
        .setFromNumber(sender)
        .setIssuedAt(challenge.issuedAt())
        .setExpiresAt(challenge.expiresAt())
        .setResendCount(challenge.resendCount())
        .setOutcome(ChallengeOutcome.OPEN)
        .setFailedAttempts(0)
        .setReason(null)
        .setLocale(challenge.locale())
        .setChannel(challenge.channel())
        .setConsentTextSha256(challenge.consentTextSha256())
        .setRequestedAt(challenge.requestedAt())
        .setOccurredAt(t)
        .build();
  }

  /**
   * SUPPRESSED: the signup opened nothing. It names the challenge it ran into (the open or the
   * confirming one) when there is one, else {@code fallbackId}; the window is that challenge's,
   * else the instant {@code t}.
   */
  ChallengeEvent suppressed(
      SignupRequested signup,
      ProgramChallenge related,
      String fallbackId,
      ChallengeOutcome outcome,
      String reason,
      Instant t) {
    return ChallengeEvent.newBuilder()
        .setChallengeId(related.challengeId() != null ? related.challengeId() : fallbackId)
        .setType(ChallengeEventType.SUPPRESSED)
        .setSignupId(signup.getSignupId())
        .setProgramId(signup.getProgramId())
        .setPhone(signup.getPhone())
        .setFromNumber(null)
        .setIssuedAt(related.issuedAt() != null ? related.issuedAt() : t)
        .setExpiresAt(related.expiresAt() != null ? related.expiresAt() : t)
        .setResendCount(related.resendCount())
        .setOutcome(outcome)
        .setFailedAttempts(0)
        .setReason(reason)
        .setLocale(signup.getEvidence().getLocale())
        .setChannel(signup.getEvidence().getChannel())
        .setConsentTextSha256(signup.getEvidence().getConsentTextSha256())
        .setRequestedAt(signup.getOccurredAt())
        .setOccurredAt(t)
        .build();
  }

  /** The outbox command asking the sender to text the challenge's code. */
  SmsSendRequested sendCode(
      String commandId, ProgramChallenge challenge, SignupRequested signup, Instant t) {
    return SmsSendRequested.newBuilder()
        .setCommandId(commandId)
        .setKind(SmsKind.CONFIRMATION_CODE)
        .setChallengeId(challenge.challengeId())
        .setProgramId(signup.getProgramId())
        .setPhone(signup.getPhone())
        .setFromNumber(fromNumber)
        .setLocale(challenge.locale())
        .setExpiresAt(challenge.expiresAt())
        .setRequestedAt(t)
        .build();
  }
}
