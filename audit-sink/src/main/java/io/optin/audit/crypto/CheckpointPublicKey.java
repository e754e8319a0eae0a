package io.optin.audit.crypto;

import io.optin.audit.ledger.LedgerHashing;
import io.optin.avro.LedgerCheckpoint;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The Ed25519 public key that verifies ledger checkpoints: all an auditor needs, since it cannot
 * sign. Given as the base64 X.509 (SubjectPublicKeyInfo) encoding, setting {@value #SETTING}.
 */
public final class CheckpointPublicKey {

  public static final String SETTING = "audit.signing.public.key";
  static final String ALGORITHM = "Ed25519";

  private final PublicKey key;
  private final String keyId;

  public CheckpointPublicKey(PublicKey key) {
    this.key = Objects.requireNonNull(key, "key");
    if (!ALGORITHM.equals(key.getAlgorithm()) && !"EdDSA".equals(key.getAlgorithm())) {
      throw new IllegalArgumentException("checkpoint keys are Ed25519, got " + key.getAlgorithm());
    }
    this.keyId = idOf(key.getEncoded());
  }

  /** From the base64 X.509 encoding. */
  public static CheckpointPublicKey fromBase64(String x509Base64) {
    try {
      byte[] der = Base64.getDecoder().decode(x509Base64.strip());
      return new CheckpointPublicKey(
          KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(SETTING + " is not a base64 X.509 Ed25519 public key", e);
    }
  }

  /**
   * First 16 hex characters of SHA-256 of the X.509 encoding; checkpoints name the key that signed
   * them.
   */
  public String keyId() {
    return keyId;
  }

  /** Base64 X.509 encoding, to hand to auditors. */
  public String toBase64() {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /**
   * Whether the checkpoint names this key and its signature verifies over its canonical content.
   */
  public boolean verifies(LedgerCheckpoint checkpoint) {
    if (!keyId.equals(checkpoint.getSigningKeyId()) || checkpoint.getSignature() == null) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(LedgerHashing.checkpointContent(checkpoint));
      ByteBuffer signature = checkpoint.getSignature().duplicate();
      byte[] bytes = new byte[signature.remaining()];
      signature.get(bytes);
      return verifier.verify(bytes);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Whether {@code signature} is this key's Ed25519 signature over {@code content}. */
  public boolean verifiesDocument(byte[] content, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(content);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  static String idOf(byte[] x509) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(x509))
          .substring(0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "CheckpointPublicKey[Ed25519 " + keyId + "]";
  }
}
