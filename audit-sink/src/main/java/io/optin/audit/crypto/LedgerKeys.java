package io.optin.audit.crypto;

import static io.optin.audit.AuditSettings.AUDIT_MASTER_KEY;
import static io.optin.audit.AuditSettings.AUDIT_SIGNING_KEY;

import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import io.optin.kit.files.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The audit sink's two secrets: the master key wrapping the data keys, and the key signing
 * checkpoints. Outside dev they come from settings ({@value MasterKey#SETTING}, {@value
 * CheckpointSigningKey#SETTING}); {@code optin dev} generates them once and keeps them in its data
 * directory.
 */
public record LedgerKeys(MasterKey master, CheckpointSigningKey signing) {

  static final String MASTER_FILE = "audit-master.key";
  static final String SIGNING_FILE = "audit-signing.key";
  static final String PUBLIC_FILE = "audit-signing.pub";

  public LedgerKeys {
    Objects.requireNonNull(master, "master");
    Objects.requireNonNull(signing, "signing");
  }

  /**
   * Both keys among {@code settings}.
   *
   * @throws SettingsException naming the setting of a missing or malformed key
   */
  public static LedgerKeys from(Settings settings) {
    String signing = settings.optional(AUDIT_SIGNING_KEY).orElse(null);
    if (signing == null) {
      throw new SettingsException(
          AUDIT_SIGNING_KEY.key()
              + " is required: an Ed25519 private key,"
              + " base64 PKCS#8 (`openssl genpkey -algorithm ed25519 -outform DER | base64 -w0`)");
    }
    return SettingsException.checked(
        () ->
            new LedgerKeys(
                MasterKey.fromBase64(settings.optional(AUDIT_MASTER_KEY).orElse(null)),
                CheckpointSigningKey.fromBase64(signing)));
  }

  /**
   * The dev keys kept in {@code dir} (files readable by the owner only), generated on first use.
   * The public key is written beside them for auditors.
   */
  public static LedgerKeys loadOrCreate(Path dir) {
    try {
      OwnerOnly.directory(dir);
      Path master = dir.resolve(MASTER_FILE);
      Path signing = dir.resolve(SIGNING_FILE);
      if (!Files.exists(master)) {
        writeSecret(master, MasterKey.generate().toBase64());
      }
      if (!Files.exists(signing)) {
        writeSecret(signing, CheckpointSigningKey.generate().toBase64());
      }
      LedgerKeys keys =
          new LedgerKeys(
              MasterKey.fromBase64(Files.readString(master)),
              CheckpointSigningKey.fromBase64(Files.readString(signing)));
      Files.writeString(dir.resolve(PUBLIC_FILE), keys.signing().publicKey().toBase64() + "\n");
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the dev audit keys in " + dir, e);
    }
  }

  public CheckpointPublicKey publicKey() {
    return signing.publicKey();
  }

  /** Created 0600 before the key is written, so that it is never readable by others. */
  private static void writeSecret(Path file, String base64) throws IOException {
    OwnerOnly.createFile(file, base64 + "\n", StandardCharsets.US_ASCII);
  }
}
