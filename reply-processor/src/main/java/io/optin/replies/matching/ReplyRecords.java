package io.optin.replies.matching;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.InboundSms;
import io.optin.avro.ProgramOptOut;
import io.optin.avro.SubscriberConfirmed;
import io.optin.avro.SubscriberStatus;
import io.optin.domain.status.SubscriptionStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** The records the reply processor publishes for a closed challenge or a status change. */
final class ReplyRecords {

  private ReplyRecords() {}

  /** Key of the compacted status topic: {@code programId:phone}. */
  static String statusKey(String programId, String phone) {
    return programId + ":" + phone;
  }

  /**
   * What a STOP of scope program opted out of: {@code programIds}, or every program of the phone
   * when nothing narrowed it.
   */
  static ProgramOptOut programOptOut(
      InboundSms stop, Collection<String> programIds, boolean everyProgram) {
    return ProgramOptOut.newBuilder()
        .setMessageSid(stop.getMessageSid())
        .setPhone(stop.getPhone())
        .setToNumber(stop.getToNumber())
        .setProgramIds(List.copyOf(new TreeSet<>(programIds)))
        .setEveryProgram(everyProgram)
        .setChannel(stop.getChannel())
        .setReceivedAt(stop.getReceivedAt())
        .build();
  }

  static ChallengeEvent closed(String phone, Closure closure) {
    OpenChallenge c = closure.challenge();
    return ChallengeEvent.newBuilder()
        .setChallengeId(c.challengeId())
        .setType(ChallengeEventType.CLOSED)
        .setSignupId(c.signupId())
        .setProgramId(c.programId())
        .setPhone(phone)
        .setFromNumber(c.fromNumber())
        .setIssuedAt(Instant.ofEpochMilli(c.issuedAt()))
        .setExpiresAt(Instant.ofEpochMilli(c.expiresAt()))
        .setResendCount(c.resendCount())
        .setOutcome(closure.outcome())
        .setFailedAttempts(c.failedAttempts())
        .setReason(closure.reason())
        .setLocale(c.locale())
        .setChannel(c.channel())
        .setConsentTextSha256(c.consentTextSha256())
        .setRequestedAt(c.requestedAt() == null ? null : Instant.ofEpochMilli(c.requestedAt()))
        .setOccurredAt(Instant.ofEpochMilli(closure.at()))
        .build();
  }

  static SubscriberConfirmed confirmed(String phone, Closure closure) {
    OpenChallenge c = closure.challenge();
    // requestedAt is optional on challenge events; the issue time is the signup's event time when
    // it is absent.
    long requestedAt = c.requestedAt() == null ? c.issuedAt() : c.requestedAt();
    return SubscriberConfirmed.newBuilder()
        .setChallengeId(c.challengeId())
        .setSignupId(c.signupId())
        .setProgramId(c.programId())
        .setPhone(phone)
        .setMethod(closure.method())
        .setLocale(c.locale())
        .setChannel(c.channel())
        .setConsentTextSha256(c.consentTextSha256())
        .setRequestedAt(Instant.ofEpochMilli(requestedAt))
        .setConfirmedAt(Instant.ofEpochMilli(closure.at()))
        .setConfirmedVia(closure.confirmedVia())
        .build();
  }

  /** The status record, or null (a tombstone) for {@link SubscriptionStatus#NONE}. */
  static SubscriberStatus status(String phone, StatusChange change) {
    ProgramStatus s = change.status();
    if (s.status() == SubscriptionStatus.NONE) {
      return null;
    }
    return SubscriberStatus.newBuilder()
        .setProgramId(change.programId())
        .setPhone(phone)
        .setStatus(s.status().toAvro())
        .setChallengeId(s.challengeId())
        .setReason(s.reason())
        .setUpdatedAt(Instant.ofEpochMilli(s.updatedAt()))
        .build();
  }
}
