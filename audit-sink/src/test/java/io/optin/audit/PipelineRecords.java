package io.optin.audit;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.InboundSms;
import io.optin.avro.ReplyIntent;
import io.optin.avro.ReportSource;
import io.optin.avro.SignupRejected;
import io.optin.avro.SignupRequested;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SourceChannel;
import io.optin.avro.VerificationAttempt;
import io.optin.domain.screening.ConsentTextHash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Records of the pipeline as the other services write them, for one subscriber (its consent
 * evidence also serves the system tests' ledgers).
 */
public final class PipelineRecords {

  static final String PHONE = "+14155550100";
  static final String PROGRAM = "acme-deals";
  static final String SIGNUP_ID = "6f1c2b3a-0d4e-4f5a-8b6c-7d8e9f0a1b2c";
  static final String CHALLENGE_ID = "0b7d6c5e-4f3a-4b2c-9d1e-0f9a8b7c6d5e";
  static final String CONSENT =
      "Yes, text me Acme deals. Msg & data rates may apply. Reply STOP to opt out.";

  private PipelineRecords() {}

  /** The evidence of a web-form signup to the Acme deals program. */
  public static ConsentEvidence evidence() {
    return ConsentEvidence.newBuilder()
        .setConsentText(CONSENT)
        .setConsentTextVersion("v3")
        .setConsentTextSha256(ConsentTextHash.of(CONSENT))
        .setChannel(SourceChannel.WEB_FORM)
        .setPageUrl("https://acme.example/signup")
        .setIp("203.0.113.7")
        .setUserAgent("Mozilla/5.0")
        .setLocale("en-US")
        .build();
  }

  static SignupRequested signup(Instant at) {
    return SignupRequested.newBuilder()
        .setSignupId(SIGNUP_ID)
        .setProgramId(PROGRAM)
        .setPhone(PHONE)
        .setEvidence(evidence())
        .setOccurredAt(at)
        .build();
  }

  static ChallengeEvent challenge(
      ChallengeEventType type, ChallengeOutcome outcome, String reason, Instant at) {
    return ChallengeEvent.newBuilder()
        .setChallengeId(CHALLENGE_ID)
        .setType(type)
        .setSignupId(SIGNUP_ID)
        .setProgramId(PROGRAM)
        .setPhone(PHONE)
        .setIssuedAt(at)
        .setExpiresAt(at.plusSeconds(600))
        .setOutcome(outcome)
        .setReason(reason)
        .setChannel(SourceChannel.WEB_FORM)
        .setOccurredAt(at)
        .build();
  }

  static SmsDeliveryReport delivery(
      String sid,
      DeliveryStatus status,
      ReportSource source,
      Integer errorCode,
      String maskedBody,
      Instant at) {
    return SmsDeliveryReport.newBuilder()
        .setReportId("report-" + at.toEpochMilli() + "-" + status)
        .setCommandId("command-1")
        .setChallengeId(CHALLENGE_ID)
        .setProgramId(PROGRAM)
        .setPhone(PHONE)
        .setMessageSid(sid)
        .setStatus(status)
        .setErrorCode(errorCode)
        .setErrorMessage(errorCode == null ? null : "provider error " + errorCode)
        .setMaskedBody(maskedBody)
        .setSource(source)
        .setOccurredAt(at)
        .build();
  }

  static InboundSms inbound(String sid, ReplyIntent intent, String maskedBody, Instant at) {
    return InboundSms.newBuilder()
        .setMessageSid(sid)
        .setPhone(PHONE)
        .setToNumber("+15005550006")
        .setIntent(intent)
        .setMaskedBody(maskedBody)
        .setReceivedAt(at)
        .build();
  }

  static VerificationAttempt attempt(String attemptId, Instant at) {
    return VerificationAttempt.newBuilder()
        .setAttemptId(attemptId)
        .setPhone(PHONE)
        .setProgramId(PROGRAM)
        .setCodeHash("ab".repeat(32))
        .setIp("203.0.113.7")
        .setAttemptedAt(at)
        .build();
  }

  static SignupRejected reject(String reason, String field, Instant at) {
    return SignupRejected.newBuilder()
        .setRejectId("reject-1")
        .setReason(reason)
        .setField(field)
        .setRawValue(
            ByteBuffer.wrap("{\"phone\":\"+14155550100\"}".getBytes(StandardCharsets.UTF_8)))
        .setRejectedAt(at)
        .build();
  }
}
