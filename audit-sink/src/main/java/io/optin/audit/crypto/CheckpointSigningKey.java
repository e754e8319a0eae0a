package io.optin.audit.crypto;

import io.optin.audit.ledger.LedgerHashing;
import io.optin.avro.LedgerCheckpoint;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The audit sink's Ed25519 key that signs checkpoints, from setting {@value #SETTING} (base64
 * PKCS#8). Only the sink holds it; verifiers get the {@link #publicKey()}.
 */
public final class CheckpointSigningKey {

  public static final String SETTING = "audit.signing.key";

  private final PrivateKey privateKey;
  private final CheckpointPublicKey publicKey;

  private CheckpointSigningKey(KeyPair pair) {
    this.privateKey = pair.getPrivate();
    this.publicKey = new CheckpointPublicKey(pair.getPublic());
  }

  /** A new random key (dev mode generates one and keeps it under the dev data dir). */
  public static CheckpointSigningKey generate() {
    try {
      return new CheckpointSigningKey(
          KeyPairGenerator.getInstance(CheckpointPublicKey.ALGORITHM).generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is unavailable in this JRE", e);
    }
  }

  /** From the base64 PKCS#8 encoding; the public key is derived from it. */
  public static CheckpointSigningKey fromBase64(String pkcs8Base64) {
    try {
      byte[] der = Base64.getDecoder().decode(pkcs8Base64.strip());
      PrivateKey key =
          KeyFactory.getInstance(CheckpointPublicKey.ALGORITHM)
              .generatePrivate(new PKCS8EncodedKeySpec(der));
      byte[] seed =
          ((EdECPrivateKey) key)
              .getBytes()
              .orElseThrow(() -> new IllegalArgumentException("no key bytes"));
      return new CheckpointSigningKey(pairFromSeed(seed));
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException(
          SETTING + " is not a base64 PKCS#8 Ed25519 private key", e);
    }
  }

  public CheckpointPublicKey publicKey() {
    return publicKey;
  }

  /** Base64 PKCS#8 encoding, for the settings file. */
  public String toBase64() {
    return Base64.getEncoder().encodeToString(privateKey.getEncoded());
  }

  /** The checkpoint with this key's id and its signature set. */
  public LedgerCheckpoint sign(LedgerCheckpoint unsigned) {
    LedgerCheckpoint named =
        LedgerCheckpoint.newBuilder(unsigned)
            .setSigningKeyId(publicKey.keyId())
            .setSignature(ByteBuffer.allocate(0))
            .build();
    try {
      Signature signer = Signature.getInstance(CheckpointPublicKey.ALGORITHM);
      signer.initSign(privateKey);
      signer.update(LedgerHashing.checkpointContent(named));
      named.setSignature(ByteBuffer.wrap(signer.sign()));
      return named;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not sign a checkpoint", e);
    }
  }

  /**
   * An Ed25519 signature over {@code content}, for documents the ledger vouches for (consent
   * certificates); the content carries its own domain prefix, so it can never read as a checkpoint
   * (whose signed bytes start with a presence byte).
   */
  public byte[] signDocument(byte[] content) {
    try {
      Signature signer = Signature.getInstance(CheckpointPublicKey.ALGORITHM);
      signer.initSign(privateKey);
      signer.update(content);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not sign a document", e);
    }
  }

  /**
   * Java 17 cannot derive an Ed25519 public key from a private one directly; an Ed25519 private key
   * is a 32-byte seed the generator draws from its random source, so a source that yields exactly
   * the seed regenerates the pair.
   */
  private static KeyPair pairFromSeed(byte[] seed) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(CheckpointPublicKey.ALGORITHM);
    generator.initialize(
        NamedParameterSpec.ED25519,
        new SecureRandom() {
          private static final long serialVersionUID = 1L;

          @Override
          public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
          }
        });
    return generator.generateKeyPair();
  }

  @Override
  public String toString() {
    return "CheckpointSigningKey[Ed25519 " + publicKey.keyId() + ", private key redacted]";
  }
}
