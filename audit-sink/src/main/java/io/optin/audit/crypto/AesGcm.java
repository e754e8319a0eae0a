package io.optin.audit.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a random 96-bit nonce per message. Sealed form: version byte {@value #VERSION},
 * 12-byte nonce, ciphertext with the 16-byte tag; associated data binds the message to where it
 * belongs.
 */
final class AesGcm {

  static final int KEY_BYTES = 32;
  static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private AesGcm() {}

  static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  static byte[] seal(byte[] key, byte[] associatedData, byte[] plaintext) {
    byte[] nonce = randomBytes(NONCE_BYTES);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData);
      byte[] ciphertext = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(1 + NONCE_BYTES + ciphertext.length)
          .put(VERSION)
          .put(nonce)
          .put(ciphertext)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable in this JRE", e);
    }
  }

  /**
   * The plaintext, or an exception when the key, the associated data or a byte of the sealed form
   * is wrong.
   */
  static byte[] open(byte[] key, byte[] associatedData, byte[] sealed) throws AEADBadTagException {
    if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
      throw new AEADBadTagException("not a version " + VERSION + " AES-GCM sealed message");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable in this JRE", e);
    }
  }
}
