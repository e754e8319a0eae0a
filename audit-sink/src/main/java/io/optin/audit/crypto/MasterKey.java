package io.optin.audit.crypto;

import io.optin.avro.SubjectDataKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;

/**
 * The key that wraps every subject's data key on optin.consent-keys.v1 (setting {@value #SETTING},
 * base64 of 32 bytes): the key topic alone reveals nothing, and destroying a wrapped data key
 * destroys the subject's data.
 */
public final class MasterKey {

  public static final String SETTING = "audit.master.key";

  private final byte[] key;
  private final String keyId;

  private MasterKey(byte[] key) {
    if (key.length != AesGcm.KEY_BYTES) {
      throw new IllegalArgumentException(
          SETTING
              + " must be "
              + AesGcm.KEY_BYTES
              + " bytes (base64), got "
              + key.length
              + " (generate one with `openssl rand -base64 32`)");
    }
    this.key = key.clone();
    this.keyId = idOf(key);
  }

  public static MasterKey fromBase64(String base64) {
    if (base64 == null || base64.isBlank()) {
      throw new IllegalArgumentException(
          SETTING + " is required: 32 bytes in base64 (`openssl rand -base64 32`)");
    }
    try {
      return new MasterKey(Base64.getDecoder().decode(base64.strip()));
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(SETTING)) {
        throw e;
      }
      throw new IllegalArgumentException(SETTING + " is not base64", e);
    }
  }

  public static MasterKey generate() {
    return new MasterKey(AesGcm.randomBytes(AesGcm.KEY_BYTES));
  }

  public String toBase64() {
    return Base64.getEncoder().encodeToString(key);
  }

  /**
   * First 16 hex characters of SHA-256 over a domain label and the key: names the key, reveals
   * nothing of it.
   */
  public String keyId() {
    return keyId;
  }

  /** The data key wrapped for the key topic. */
  public SubjectDataKey wrap(DataKey dataKey, Instant createdAt) {
    byte[] wrapped =
        AesGcm.seal(key, associatedData(dataKey.subjectKey(), dataKey.keyId()), dataKey.secret());
    return SubjectDataKey.newBuilder()
        .setSubjectKey(dataKey.subjectKey())
        .setKeyId(dataKey.keyId())
        .setWrappedKey(ByteBuffer.wrap(wrapped))
        .setMasterKeyId(keyId)
        .setCreatedAt(createdAt)
        .build();
  }

  /**
   * The data key, or an exception naming the master key that wrapped it when it is not this one.
   */
  public DataKey unwrap(SubjectDataKey wrapped) {
    if (!keyId.equals(wrapped.getMasterKeyId())) {
      throw new IllegalStateException(
          "the data key of subject "
              + wrapped.getSubjectKey()
              + " was wrapped by master"
              + " key "
              + wrapped.getMasterKeyId()
              + ", not by "
              + SETTING
              + " "
              + keyId);
    }
    ByteBuffer buffer = wrapped.getWrappedKey().duplicate();
    byte[] sealed = new byte[buffer.remaining()];
    buffer.get(sealed);
    try {
      byte[] secret =
          AesGcm.open(key, associatedData(wrapped.getSubjectKey(), wrapped.getKeyId()), sealed);
      return new DataKey(wrapped.getSubjectKey(), wrapped.getKeyId(), secret);
    } catch (AEADBadTagException e) {
      throw new IllegalStateException(
          "the wrapped data key of subject "
              + wrapped.getSubjectKey()
              + " does not open with the master key: it was altered",
          e);
    }
  }

  private static byte[] associatedData(String subjectKey, String keyId) {
    return ("optin-data-key-v1|" + subjectKey + "|" + keyId).getBytes(StandardCharsets.UTF_8);
  }

  private static String idOf(byte[] key) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update("optin-master-key-id|".getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha256.digest(key)).substring(0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "MasterKey[" + keyId + ", key redacted]";
  }
}
