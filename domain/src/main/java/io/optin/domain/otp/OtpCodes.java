package io.optin.domain.otp;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;

/**
 * One-time codes derived from the challenge id with a keyed MAC, so no code is ever stored: the
 * dispatcher that sends a code and the reply processor that checks it derive the same digits from
 * the shared {@code otp.secret}; topics carry only {@link #codeHash keyed hashes} of codes.
 *
 * <p>Digits: {@code HMAC-SHA256(secret, "optin-otp-v1|" + challengeId)} read as an unsigned 256-bit
 * integer, reduced modulo {@code 10^length} and zero-padded. Reducing a uniform 256-bit value
 * modulo {@code m <= 10^10} favours the smallest {@code 2^256 mod m} residues by exactly one extra
 * pre-image out of about {@code 2^256 / m}, a relative bias below {@code 10^-66}: unmeasurable, so
 * no rejection loop or HOTP truncation is needed.
 *
 * <p>Code hashes use a different key, derived as {@code HMAC-SHA256(secret,
 * "optin-otp-hash-key-v1")}, so a published hash can never be turned back into the digits nor
 * confused with a code derivation.
 *
 * <p>Instances are immutable and thread-safe. Never log a code; log the challenge id.
 */
public final class OtpCodes {

  public static final String SECRET_SETTING = "otp.secret";
  public static final String LENGTH_SETTING = "otp.length";
  public static final int MIN_SECRET_BYTES = KeyedHash.MIN_SECRET_BYTES;
  public static final int MIN_LENGTH = 4;
  public static final int MAX_LENGTH = 10;

  private static final String CODE_DOMAIN = "optin-otp-v1|";
  private static final String HASH_KEY_LABEL = "optin-otp-hash-key-v1";
  private static final String BODY_HASH_KEY_LABEL = "optin-sms-body-hash-key-v1";

  private final KeyedHash codeKey;
  private final KeyedHash hashKey;
  private final KeyedHash bodyHashKey;
  private final int length;
  private final BigInteger modulus;

  /**
   * @param secret at least {@value #MIN_SECRET_BYTES} bytes (setting {@code otp.secret})
   * @param length digits per code, {@value #MIN_LENGTH} to {@value #MAX_LENGTH} (setting {@code
   *     otp.length})
   */
  public OtpCodes(byte[] secret, int length) {
    this.length = checkLength(length);
    this.codeKey = KeyedHash.ofSecret(secret, SECRET_SETTING);
    this.hashKey = codeKey.derive(HASH_KEY_LABEL);
    this.bodyHashKey = codeKey.derive(BODY_HASH_KEY_LABEL);
    this.modulus = BigInteger.TEN.pow(length);
  }

  /** From the textual {@code otp.secret} setting: its UTF-8 bytes are the key. */
  public static OtpCodes fromSettings(String secret, int length) {
    return new OtpCodes(secret == null ? null : secret.getBytes(StandardCharsets.UTF_8), length);
  }

  /** Refuses a code length outside 4–10 with a message naming {@code otp.length}. */
  public static int checkLength(int length) {
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          LENGTH_SETTING
              + " must be between "
              + MIN_LENGTH
              + " and "
              + MAX_LENGTH
              + " digits, got "
              + length);
    }
    return length;
  }

  public int length() {
    return length;
  }

  /** The code of a challenge: the same digits for the same id and secret, on every instance. */
  public String codeFor(String challengeId) {
    Objects.requireNonNull(challengeId, "challengeId");
    BigInteger value = new BigInteger(1, codeKey.mac(CODE_DOMAIN + challengeId));
    String digits = value.mod(modulus).toString();
    return "0".repeat(length - digits.length()) + digits;
  }

  /**
   * Keyed hash (HMAC-SHA256, lower-case hex) of a code, the only form of a code allowed in a topic,
   * store or log. Spaces and dashes are dropped first, so "123 456" and "123456" hash alike.
   */
  public String codeHash(String code) {
    Objects.requireNonNull(code, "code");
    return hashKey.hex(code.replaceAll("[\\s-]", ""));
  }

  /**
   * Keyed hash (HMAC-SHA256, lower-case hex) of a whole SMS text as sent, under its own key derived
   * from the secret: it matches the provider's copy of a message without revealing the code it
   * carries (a plain hash of a text with a 6-digit code is reversed by trying a million codes).
   */
  public String bodyHash(String body) {
    Objects.requireNonNull(body, "body");
    return bodyHashKey.hex(body);
  }

  /** Whether a code hash is the hash of this challenge's code, compared in constant time. */
  public boolean matches(String challengeId, String codeHash) {
    if (codeHash == null) {
      return false;
    }
    byte[] expected = codeHash(codeFor(challengeId)).getBytes(StandardCharsets.US_ASCII);
    byte[] given = codeHash.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given);
  }

  /** A mask for text that may carry a code of this length. */
  public CodeMask mask() {
    return new CodeMask(length);
  }

  @Override
  public String toString() {
    return "OtpCodes[length=" + length + ", secret redacted]";
  }
}
