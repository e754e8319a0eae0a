package io.optin.domain.otp;

import java.util.Objects;

/**
 * The consent ledger's key for a data subject: a keyed hash of the phone, so the audit topic is
 * keyed and partitioned per subject without showing the number. The key is stable only as long as
 * the secret is: rotating the secret starts new ledger keys for every subject.
 */
public final class SubjectKeys {

  /** The setting holding the secret (at least 32 bytes); distinct from {@code otp.secret}. */
  public static final String SECRET_SETTING = "audit.subject.secret";

  private static final String DOMAIN = "optin-subject-v1|";
  private static final String DERIVATION_LABEL = "optin-audit-subject-key-v1";

  private final KeyedHash key;

  public SubjectKeys(byte[] secret) {
    this.key = KeyedHash.ofSecret(secret, SECRET_SETTING);
  }

  /**
   * Subject keys under a key derived from the code secret ({@code otp.secret}), for deployments
   * that set no {@value #SECRET_SETTING}: HMAC-SHA256(otp.secret, "optin-audit-subject-key-v1"),
   * independent of the code keys.
   */
  public static SubjectKeys derivedFrom(byte[] otpSecret) {
    return new SubjectKeys(
        KeyedHash.ofSecret(otpSecret, OtpCodes.SECRET_SETTING).mac(DERIVATION_LABEL));
  }

  /** Lower-case hex HMAC-SHA256 of the phone (E.164), 64 characters. */
  public String keyFor(String phoneE164) {
    Objects.requireNonNull(phoneE164, "phone");
    return key.hex(DOMAIN + phoneE164);
  }

  @Override
  public String toString() {
    return "SubjectKeys[secret redacted]";
  }
}
