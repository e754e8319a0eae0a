package io.optin.domain.otp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 under one secret key; {@link #derive} gives each use its own independent key. */
final class KeyedHash {

  static final int MIN_SECRET_BYTES = 32;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  private KeyedHash(byte[] key) {
    this.key = new SecretKeySpec(key, ALGORITHM);
  }

  /**
   * A keyed hash over an operator secret, refused when shorter than 32 bytes (256 bits, the
   * HMAC-SHA256 security level). The message names the setting so start-up failures point at the
   * fix; it never echoes the secret.
   */
  static KeyedHash ofSecret(byte[] secret, String setting) {
    if (secret == null || secret.length == 0) {
      throw new IllegalArgumentException(
          setting
              + " is required: a secret of at least "
              + MIN_SECRET_BYTES
              + " bytes (generate one with `openssl rand -base64 48`)");
    }
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          setting
              + " must be at least "
              + MIN_SECRET_BYTES
              + " bytes, got "
              + secret.length
              + " (generate one with `openssl rand -base64 48`)");
    }
    return new KeyedHash(secret.clone());
  }

  /** A key derived from this one for a single purpose, so two uses never share a key. */
  KeyedHash derive(String label) {
    return new KeyedHash(mac(label));
  }

  byte[] mac(String message) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      // Every Java 17 runtime ships HmacSHA256; reaching this means a broken JRE, not bad input.
      throw new IllegalStateException("HmacSHA256 is unavailable in this JRE", e);
    }
  }

  String hex(String message) {
    return HexFormat.of().formatHex(mac(message));
  }

  @Override
  public String toString() {
    return "KeyedHash[HmacSHA256, key redacted]";
  }
}
