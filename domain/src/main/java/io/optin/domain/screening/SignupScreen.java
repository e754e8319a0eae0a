package io.optin.domain.screening;

import io.optin.avro.ConsentEvidence;
import io.optin.avro.FormEvidence;
import io.optin.avro.SignupRequested;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one gate every signup passes, over HTTP or straight onto the topic: a signup is accepted only
 * when every field is present, bounded and well-formed, and its consent text matches its
 * fingerprint.
 *
 * <p>Accepted signups come back normalised (phone in E.164, canonical locale and UUID, lower-case
 * hash, blanks trimmed, blank optional fields as null); the consent text is kept verbatim because
 * its hash is proof. Stateless and thread-safe.
 */
public final class SignupScreen {

  public static final int MAX_CONSENT_TEXT = 2000;
  public static final int MAX_URL = 2048;
  public static final int MAX_USER_AGENT = 512;
  public static final int MAX_ID = 128;
  public static final int MAX_LOCALE = 35;

  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");

  /** Visible ASCII without ':' so that the {@code programId:phone} status key stays unambiguous. */
  private static final Pattern PROGRAM_ID = Pattern.compile("[\\x21-\\x39\\x3B-\\x7E]+");

  private final PhoneNormalizer phones;

  public SignupScreen() {
    this(new PhoneNormalizer());
  }

  public SignupScreen(PhoneNormalizer phones) {
    this.phones = phones;
  }

  /** Accepts (normalised) or refuses one signup. Never throws on bad content. */
  public ScreenResult screen(SignupRequested signup) {
    if (signup == null) {
      return ScreenResult.refused("signup", "signup is missing");
    }
    try {
      return new Check(signup).result();
    } catch (Refusal refusal) {
      return ScreenResult.refused(refusal.field, refusal.getMessage());
    }
  }

  /** One screening: each rule either returns the normalised value or throws a {@link Refusal}. */
  private final class Check {
    private final SignupRequested in;

    Check(SignupRequested in) {
      this.in = in;
    }

    ScreenResult result() {
      String signupId = uuid("signupId", in.getSignupId());
      String programId = required("programId", in.getProgramId(), MAX_ID);
      if (!PROGRAM_ID.matcher(programId).matches()) {
        throw new Refusal("programId", "programId must be visible ASCII characters without ':'");
      }
      String phone = phone(in.getPhone());
      if (in.getOccurredAt() == null) {
        throw new Refusal("occurredAt", "occurredAt is required");
      }
      ConsentEvidence evidence = evidence(in.getEvidence());
      String idempotencyKey = optional("idempotencyKey", in.getIdempotencyKey(), MAX_ID);
      FormEvidence formEvidence;
      try {
        formEvidence = FormEvidenceRules.normalise(in.getFormEvidence(), "formEvidence");
      } catch (FormEvidenceRules.Refused refused) {
        throw new Refusal(refused.field(), refused.getMessage());
      }
      return ScreenResult.accepted(
          SignupRequested.newBuilder()
              .setSignupId(signupId)
              .setProgramId(programId)
              .setPhone(phone)
              .setEvidence(evidence)
              .setOccurredAt(in.getOccurredAt())
              .setIdempotencyKey(idempotencyKey)
              .setFormEvidence(formEvidence)
              .build());
    }

    private ConsentEvidence evidence(ConsentEvidence e) {
      if (e == null) {
        throw new Refusal("evidence", "evidence is required");
      }
      String consentText = e.getConsentText();
      if (consentText == null || consentText.isBlank()) {
        throw new Refusal("evidence.consentText", "evidence.consentText is required");
      }
      if (consentText.length() > MAX_CONSENT_TEXT) {
        throw new Refusal(
            "evidence.consentText",
            "evidence.consentText is longer than " + MAX_CONSENT_TEXT + " characters");
      }
      if (!ControlCharacters.isClean(consentText)) {
        throw new Refusal(
            "evidence.consentText",
            "evidence.consentText contains control characters other than tab and line breaks");
      }
      String claimedHash =
          required("evidence.consentTextSha256", e.getConsentTextSha256(), 64)
              .toLowerCase(Locale.ROOT);
      if (!claimedHash.equals(ConsentTextHash.of(consentText))) {
        throw new Refusal(
            "evidence.consentTextSha256",
            "evidence.consentTextSha256 is not the SHA-256 of evidence.consentText");
      }
      if (e.getChannel() == null) {
        throw new Refusal("evidence.channel", "evidence.channel is required");
      }
      return ConsentEvidence.newBuilder()
          .setConsentText(consentText)
          .setConsentTextVersion(
              optional("evidence.consentTextVersion", e.getConsentTextVersion(), MAX_ID))
          .setConsentTextSha256(claimedHash)
          .setChannel(e.getChannel())
          .setPageUrl(url(e.getPageUrl()))
          .setIp(ip(e.getIp()))
          .setUserAgent(optional("evidence.userAgent", e.getUserAgent(), MAX_USER_AGENT))
          .setLocale(locale(e.getLocale()))
          .build();
    }

    private String phone(String raw) {
      if (!ControlCharacters.isClean(raw)) {
        throw new Refusal("phone", "phone contains control characters");
      }
      // No country: a record on the topic must carry an international number.
      PhoneCheck check = phones.normalize(raw, null);
      if (check instanceof PhoneCheck.Invalid invalid) {
        throw new Refusal(
            "phone",
            invalid.field().equals("phone")
                ? invalid.reason()
                : "phone must be in E.164 (+ and country calling code)");
      }
      return ((PhoneCheck.Valid) check).e164();
    }

    private String uuid(String field, String raw) {
      String value = required(field, raw, MAX_ID);
      if (!UUID_TEXT.matcher(value).matches()) {
        throw new Refusal(field, field + " must be a UUID");
      }
      return value.toLowerCase(Locale.ROOT);
    }

    private String url(String raw) {
      String value = optional("evidence.pageUrl", raw, MAX_URL);
      if (value == null) {
        return null;
      }
      try {
        URI uri = new URI(value);
        if (!uri.isAbsolute()) {
          throw new Refusal("evidence.pageUrl", "evidence.pageUrl must be an absolute URL");
        }
      } catch (URISyntaxException e) {
        throw new Refusal("evidence.pageUrl", "evidence.pageUrl is not a URL");
      }
      return value;
    }

    private String ip(String raw) {
      String value = optional("evidence.ip", raw, IpLiteral.MAX_LENGTH);
      if (value != null && !IpLiteral.isValid(value)) {
        throw new Refusal("evidence.ip", "evidence.ip is not an IPv4 or IPv6 address");
      }
      return value;
    }

    private String locale(String raw) {
      String value = required("evidence.locale", raw, MAX_LOCALE);
      try {
        Locale locale = new Locale.Builder().setLanguageTag(value).build();
        if (locale.getLanguage().isEmpty()) {
          throw new Refusal("evidence.locale", "evidence.locale must name a language");
        }
        return locale.toLanguageTag();
      } catch (IllformedLocaleException e) {
        throw new Refusal("evidence.locale", "evidence.locale is not a BCP 47 language tag");
      }
    }

    private String required(String field, String raw, int maxLength) {
      String value = optional(field, raw, maxLength);
      if (value == null) {
        throw new Refusal(field, field + " is required");
      }
      return value;
    }

    /**
     * Trimmed value, null when absent or blank; refused when too long or holding control characters
     * (tab and line breaks only around it, where they are trimmed).
     */
    private String optional(String field, String raw, int maxLength) {
      if (!ControlCharacters.isClean(raw)) {
        throw new Refusal(field, field + " contains control characters");
      }
      if (raw == null || raw.isBlank()) {
        return null;
      }
      String value = raw.strip();
      if (value.length() > maxLength) {
        throw new Refusal(field, field + " is longer than " + maxLength + " characters");
      }
      if (!ControlCharacters.isCleanLine(value)) {
        throw new Refusal(field, field + " contains control characters");
      }
      return value;
    }
  }

  /** A rule's refusal; a control-flow exception kept inside this class (no stack trace needed). */
  private static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    Refusal(String field, String reason) {
      super(reason, null, false, false);
      this.field = field;
    }
  }
}
