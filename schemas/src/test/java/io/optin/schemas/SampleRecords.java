package io.optin.schemas;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ClaimKind;
import io.optin.avro.ConfirmationMethod;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.DeadLetter;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.ErasureRequested;
import io.optin.avro.FormEvidence;
import io.optin.avro.InboundSms;
import io.optin.avro.IntakeClaim;
import io.optin.avro.LedgerCheckpoint;
import io.optin.avro.OptInStatus;
import io.optin.avro.PersonalData;
import io.optin.avro.ProgramOptOut;
import io.optin.avro.ReplyIntent;
import io.optin.avro.ReportSource;
import io.optin.avro.SignupRejected;
import io.optin.avro.SignupRequested;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SmsKind;
import io.optin.avro.SmsSendIntent;
import io.optin.avro.SmsSendRequested;
import io.optin.avro.SourceChannel;
import io.optin.avro.SubjectDataKey;
import io.optin.avro.SubscriberConfirmed;
import io.optin.avro.SubscriberStatus;
import io.optin.avro.VerificationAttempt;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Realistic instances of every record of the contract, with every optional field filled, for round
 * trips.
 */
public final class SampleRecords {

  public static final String PHONE = "+14155550123";
  public static final String PROGRAM = "acme-deals";
  public static final Instant SIGNED_UP_AT = Instant.parse("2026-03-02T09:15:30.123Z");
  public static final String CHALLENGE_ID = "5f0c7a7e-1d1b-4b8e-9a55-2f1c0e6b7d41";
  public static final String SIGNUP_ID = "0b6e2d5c-77a4-4f0e-8f3e-4a1d2c3b4e5f";
  private static final String CONSENT =
      "Yes, send me Acme deals by SMS. Up to 4 msgs/month. Msg & data rates may"
          + " apply. Reply STOP to opt out, HELP for help.";
  private static final String HEX_64 =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  private SampleRecords() {}

  /**
   * One instance of each record type a topic carries, plus the shared ConsentEvidence and
   * FormEvidence records.
   */
  public static List<SpecificRecord> oneOfEach() {
    return List.of(
        signupRequested(),
        signupRejected(),
        intakeClaim(),
        challengeIssued(),
        smsSendRequested(),
        smsDeliveryReport(),
        smsSendIntent(),
        inboundSms(),
        verificationAttempt(),
        programOptOut(),
        subscriberConfirmed(),
        subscriberStatus(),
        consentAuditRecord(),
        ledgerCheckpoint(),
        subjectDataKey(),
        erasureRequested(),
        personalData(),
        deadLetter(),
        evidence(),
        formEvidence());
  }

  /** Third-party evidence of a signup (SignupRequested.formEvidence, PersonalData.formEvidence). */
  public static FormEvidence formEvidence() {
    return FormEvidence.newBuilder()
        .setTrustedFormCertUrl(
            "https://cert.trustedform.com/2b5d3f0e9a4c7d1e8f6a5b4c3d2e1f0a9b8c7d6e")
        .setJornayaLeadId("3F2504E0-4F89-11D3-9A0C-0305E82C3301")
        .setFormSnapshotSha256(HEX_64)
        .setExtra(Map.of("vendor", "acme-leads"))
        .build();
  }

  public static ConsentEvidence evidence() {
    return ConsentEvidence.newBuilder()
        .setConsentText(CONSENT)
        .setConsentTextVersion("2026-01")
        .setConsentTextSha256(HEX_64)
        .setChannel(SourceChannel.WEB_FORM)
        .setPageUrl("https://acme.example/sms-signup?utm_source=footer")
        .setIp("2001:db8::7")
        .setUserAgent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)")
        .setLocale("fr-FR")
        .build();
  }

  public static SignupRequested signupRequested() {
    return SignupRequested.newBuilder()
        .setSignupId(SIGNUP_ID)
        .setProgramId(PROGRAM)
        .setPhone(PHONE)
        .setEvidence(evidence())
        .setOccurredAt(SIGNED_UP_AT)
        .setIdempotencyKey("order-7781-signup")
        .build();
  }

  public static SignupRejected signupRejected() {
    return SignupRejected.newBuilder()
        .setRejectId("c1d2e3f4-0000-4000-8000-000000000001")
        .setReason("phone is not a valid mobile number")
        .setField("phone")
        .setRawValue(ByteBuffer.wrap("{\"phone\":\"12\"}".getBytes(StandardCharsets.UTF_8)))
        .setRawKey(ByteBuffer.wrap("12".getBytes(StandardCharsets.UTF_8)))
        .setSourceTopic(Topics.SIGNUP_REQUESTS.name())
        .setSourcePartition(3)
        .setSourceOffset(1_234_567L)
        .setRejectedAt(SIGNED_UP_AT.plusMillis(40))
        .build();
  }

  public static ChallengeEvent challengeIssued() {
    return ChallengeEvent.newBuilder()
        .setChallengeId(CHALLENGE_ID)
        .setType(ChallengeEventType.ISSUED)
        .setSignupId(SIGNUP_ID)
        .setProgramId(PROGRAM)
        .setPhone(PHONE)
        .setFromNumber("+14155550100")
        .setIssuedAt(SIGNED_UP_AT)
        .setExpiresAt(SIGNED_UP_AT.plusSeconds(600))
        .setResendCount(1)
        .setOutcome(ChallengeOutcome.OPEN)
        .setFailedAttempts(2)
        .setReason("resend after cooldown")
        .setLocale("en-US")
        .setChannel(SourceChannel.WEB_FORM)
        .setConsentTextSha256(HEX_64)
        .setRequestedAt(SIGNED_UP_AT)
        .setOccurredAt(SIGNED_UP_AT.plusMillis(5))
        .build();
  }

  public static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setDeadLetterId("d1d2e3f4-0000-4000-8000-000000000002")
        .setApplication("optin-replies")
        .setReason("undeserialisable record: Unknown magic byte")
        .setField(null)
        .setSourceTopic(Topics.SMS_INBOUND.name())
        .setSourcePartition(1)
        .setSourceOffset(42L)
        .setRawKey(ByteBuffer.wrap("+14155550123".getBytes(StandardCharsets.UTF_8)))
        .setRawValue(ByteBuffer.wrap(new byte[] {7, 1, 2, 3}))
        .setFailedAt(SIGNED_UP_AT.plusSeconds(3))
        .build();
  }

  public static SmsSendRequested smsSendRequested() {
    return SmsSendRequested.newBuilder()
        .setCommandId("7d3f9c2a-5b1e-4c6d-8e7f-9a0b1c2d3e4f")
        .setKind(SmsKind.CONFIRMATION_CODE)
        .setChallengeId(CHALLENGE_ID)
        .setProgramId(PROGRAM)
        .setPhone(PHONE)
        .setFromNumber("+14155550100")
        .setLocale("fr-FR")
        .setExpiresAt(SIGNED_UP_AT.plusSeconds(600))
        .setRequestedAt(SIGNED_UP_AT.plusMillis(6))
        .build();
  }

  public static SmsSendIntent smsSendIntent() {
    return SmsSendIntent.newBuilder()
        .setIntentId("3c1d2e4f-6a7b-4c8d-9e0f-1a2b3c4d5e6f")
        .setCommandId("7d3f9c2a-5b1e-4c6d-8e7f-9a0b1c2d3e4f")
        .setPhone(PHONE)
        .setFromNumber("+15005550006")
        .setMessagingServiceSid(null)
        .setBodyHash(HEX_64)
        .setIntendedAt(SIGNED_UP_AT.plusSeconds(1))
        .setSenderId("sender-1")
        .build();
  }

  public static SmsDeliveryReport smsDeliveryReport() {
    return SmsDeliveryReport.newBuilder()
        .setReportId("e5f6a7b8-0000-4000-8000-000000000002")
        .setCommandId("7d3f9c2a-5b1e-4c6d-8e7f-9a0b1c2d3e4f")
        .setChallengeId(CHALLENGE_ID)
        .setProgramId(PROGRAM)
        .setPhone(PHONE)
        .setMessageSid("SM" + "0".repeat(32))
        .setStatus(DeliveryStatus.UNDELIVERED)
        .setErrorCode(30003)
        .setErrorMessage("Unreachable destination handset")
        .setAttempts(2)
        .setMaskedBody("Acme: your code is ******. It expires in 10 min. Reply STOP to opt out.")
        .setSource(ReportSource.STATUS_CALLBACK)
        .setOccurredAt(SIGNED_UP_AT.plusSeconds(12))
        .build();
  }

  public static InboundSms inboundSms() {
    return InboundSms.newBuilder()
        .setMessageSid("SM" + "1".repeat(32))
        .setPhone(PHONE)
        .setToNumber("+14155550100")
        .setIntent(ReplyIntent.CONFIRM)
        .setCodeHash(HEX_64)
        .setMaskedBody("Oui !")
        .setReceivedAt(SIGNED_UP_AT.plusSeconds(95))
        .build();
  }

  /** What a STOP of scope program, sent to the number of the program's code, opted out of. */
  public static ProgramOptOut programOptOut() {
    return ProgramOptOut.newBuilder()
        .setMessageSid("SM" + "2".repeat(32))
        .setPhone(PHONE)
        .setToNumber("+14155550100")
        .setProgramIds(List.of(PROGRAM))
        .setReceivedAt(SIGNED_UP_AT.plusSeconds(120))
        .build();
  }

  public static VerificationAttempt verificationAttempt() {
    return VerificationAttempt.newBuilder()
        .setAttemptId("a0b1c2d3-0000-4000-8000-000000000003")
        .setPhone(PHONE)
        .setProgramId(PROGRAM)
        .setCodeHash(HEX_64)
        .setIp("203.0.113.9")
        .setAttemptedAt(SIGNED_UP_AT.plusSeconds(80))
        .build();
  }

  public static SubscriberConfirmed subscriberConfirmed() {
    return SubscriberConfirmed.newBuilder()
        .setChallengeId(CHALLENGE_ID)
        .setSignupId(SIGNUP_ID)
        .setProgramId(PROGRAM)
        .setPhone(PHONE)
        .setMethod(ConfirmationMethod.REPLY_YES)
        .setLocale("fr-FR")
        .setChannel(SourceChannel.WEB_FORM)
        .setConsentTextSha256(HEX_64)
        .setRequestedAt(SIGNED_UP_AT)
        .setConfirmedAt(SIGNED_UP_AT.plusSeconds(95))
        .build();
  }

  public static SubscriberStatus subscriberStatus() {
    return SubscriberStatus.newBuilder()
        .setProgramId(PROGRAM)
        .setPhone(PHONE)
        .setStatus(OptInStatus.CONFIRMED)
        .setChallengeId(CHALLENGE_ID)
        .setReason("replied YES")
        .setUpdatedAt(SIGNED_UP_AT.plusSeconds(95))
        .build();
  }

  public static ConsentAuditRecord consentAuditRecord() {
    return ConsentAuditRecord.newBuilder()
        .setEventId("f0e1d2c3-0000-4000-8000-000000000004")
        .setEventType(ConsentEventType.CONFIRMED)
        .setOccurredAt(SIGNED_UP_AT.plusSeconds(95))
        .setSubjectKey(HEX_64)
        .setProgramId(PROGRAM)
        .setSignupId(SIGNUP_ID)
        .setChallengeId(CHALLENGE_ID)
        .setEvidence(
            ConsentEvidence.newBuilder(evidence())
                .setPageUrl(null)
                .setIp(null)
                .setUserAgent(null)
                .build())
        .setProviderSid("SM" + "1".repeat(32))
        .setProviderStatus("received")
        .setErrorCode(null)
        .setMethod("REPLY_YES")
        .setDetail("confirmed within the window")
        .setSourceTopic(Topics.CHALLENGES.name())
        .setSourcePartition(4)
        .setSourceOffset(42L)
        .setKeyId("7c1e0a4b9d2f4e61")
        .setSealedPersonalData(
            ByteBuffer.wrap(new byte[] {1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 42, 17}))
        .setCheckpoint(ledgerCheckpoint())
        .setHashVersion(1)
        .setSequence(3L)
        .setPreviousHash(HEX_64)
        .setPartitionSequence(1_041L)
        .setPreviousPartitionHash(HEX_64.replace('f', 'e'))
        .setHash(HEX_64.replace('9', 'a'))
        .build();
  }

  public static LedgerCheckpoint ledgerCheckpoint() {
    return LedgerCheckpoint.newBuilder()
        .setPartition(4)
        .setPartitionSequence(1_040L)
        .setHeadHash(HEX_64.replace('f', 'e'))
        .setSubjects(312L)
        .setSubjectHeadsDigest(HEX_64.replace('0', '1'))
        .setCheckpointedAt(SIGNED_UP_AT.plusSeconds(120))
        .setSigningKeyId("3b7d0c9e5a1f2468")
        .setSignature(ByteBuffer.wrap(new byte[64]))
        .build();
  }

  public static SubjectDataKey subjectDataKey() {
    return SubjectDataKey.newBuilder()
        .setSubjectKey(HEX_64)
        .setKeyId("7c1e0a4b9d2f4e61")
        .setWrappedKey(ByteBuffer.wrap(new byte[60]))
        .setMasterKeyId("a1b2c3d4e5f60718")
        .setCreatedAt(SIGNED_UP_AT)
        .build();
  }

  public static ErasureRequested erasureRequested() {
    return ErasureRequested.newBuilder()
        .setRequestId("e0a1b2c3-0000-4000-8000-000000000005")
        .setSubjectKey(HEX_64)
        .setRequestedBy("dpo@acme.example")
        .setReason("GDPR art. 17 request, ticket 4411")
        .setRequestedAt(SIGNED_UP_AT.plusSeconds(86_400))
        .build();
  }

  public static PersonalData personalData() {
    return PersonalData.newBuilder()
        .setPhone(PHONE)
        .setPageUrl("https://acme.example/sms-signup?utm_source=footer")
        .setIp("2001:db8::7")
        .setUserAgent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)")
        .setMessageText("Oui !")
        .build();
  }

  public static IntakeClaim intakeClaim() {
    return IntakeClaim.newBuilder()
        .setClaimId("c1a1b2c3-0000-4000-8000-000000000007")
        .setKind(ClaimKind.CLAIM)
        .setSignupId(SIGNUP_ID)
        .setProgramId(PROGRAM)
        .setPhone(PHONE)
        .setIp("2001:db8::7")
        .setPrefix("+14155")
        .setCountry("US")
        .setIdempotencyKeySha256(HEX_64)
        .setClaimedAt(SIGNED_UP_AT)
        .build();
  }
}
