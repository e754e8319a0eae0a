package io.optin.dispatcher.challenge;

import io.optin.avro.ConsentEvidence;
import io.optin.avro.SignupRequested;
import io.optin.avro.SourceChannel;
import io.optin.domain.screening.ConsentTextHash;
import java.time.Instant;

/** Valid signups for tests: every field a real platform would send, the consent hash computed. */
final class Signups {

  static final String CONSENT_TEXT =
      "Yes, text me Acme deals. Msg & data rates may apply. Reply STOP to opt out.";

  private Signups() {}

  static SignupRequested signup(
      String signupId, String programId, String phone, Instant occurredAt) {
    return SignupRequested.newBuilder()
        .setSignupId(signupId)
        .setProgramId(programId)
        .setPhone(phone)
        .setEvidence(
            ConsentEvidence.newBuilder()
                .setConsentText(CONSENT_TEXT)
                .setConsentTextVersion("v1")
                .setConsentTextSha256(ConsentTextHash.of(CONSENT_TEXT))
                .setChannel(SourceChannel.WEB_FORM)
                .setPageUrl("https://acme.example/signup")
                .setIp("203.0.113.7")
                .setUserAgent("Mozilla/5.0 (test)")
                .setLocale("en-US")
                .build())
        .setOccurredAt(occurredAt)
        .setIdempotencyKey(null)
        .build();
  }

  /** A signup id that is a UUID, as the screen demands, numbered for readable tests. */
  static String signupId(int n) {
    return String.format("00000000-0000-4000-8000-%012d", n);
  }
}
