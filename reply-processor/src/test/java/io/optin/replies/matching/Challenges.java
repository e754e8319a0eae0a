package io.optin.replies.matching;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.SourceChannel;
import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.SubjectKeys;
import io.optin.schemas.serde.AvroTrust;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Test fixtures: the OTP secret, and challenge events as the dispatcher writes them. */
final class Challenges {

  static final OtpCodes CODES =
      new OtpCodes("test-otp-secret-not-for-production-use".getBytes(StandardCharsets.UTF_8), 6);
  static final SubjectKeys SUBJECTS =
      new SubjectKeys("test-subject-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8));
  static final String PHONE = "+14155550100";
  static final String OUR_NUMBER = "+14155550999";

  static {
    // Copying a generated record (newBuilder(other)) loads its enum classes through Avro's class
    // check.
    AvroTrust.install();
  }

  private Challenges() {}

  /** An ISSUED event: window {@code [issuedAt, expiresAt)}, sent from {@link #OUR_NUMBER}. */
  static ChallengeEvent issued(
      String challengeId, String programId, Instant issuedAt, Instant expiresAt) {
    return ChallengeEvent.newBuilder()
        .setChallengeId(challengeId)
        .setType(ChallengeEventType.ISSUED)
        .setSignupId("signup-" + challengeId)
        .setProgramId(programId)
        .setPhone(PHONE)
        .setFromNumber(OUR_NUMBER)
        .setIssuedAt(issuedAt)
        .setExpiresAt(expiresAt)
        .setResendCount(0)
        .setOutcome(ChallengeOutcome.OPEN)
        .setFailedAttempts(0)
        .setLocale("en-US")
        .setChannel(SourceChannel.WEB_FORM)
        .setConsentTextSha256("c0ffee")
        .setRequestedAt(issuedAt)
        .setOccurredAt(issuedAt)
        .build();
  }

  static ChallengeEvent resent(ChallengeEvent issued, int resendCount, Instant at) {
    return ChallengeEvent.newBuilder(issued)
        .setType(ChallengeEventType.RESENT)
        .setResendCount(resendCount)
        .setOccurredAt(at)
        .build();
  }

  static String hashOfCode(String challengeId) {
    return CODES.codeHash(CODES.codeFor(challengeId));
  }

  /** A code that is not the challenge's (its last digit changed). */
  static String hashOfWrongCode(String challengeId) {
    String code = CODES.codeFor(challengeId);
    char last = code.charAt(code.length() - 1);
    return CODES.codeHash(
        code.substring(0, code.length() - 1) + (last == '9' ? '0' : (char) (last + 1)));
  }
}
