package io.optin.server;

import static io.optin.audit.AuditSettings.AUDIT_MASTER_KEY;
import static io.optin.audit.AuditSettings.AUDIT_SIGNING_KEY;
import static io.optin.audit.AuditSettings.AUDIT_SUBJECT_SECRET;

import io.optin.audit.crypto.LedgerKeys;
import io.optin.kit.config.Setting;
import io.optin.kit.config.Settings;
import io.optin.kit.files.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The consent ledger's secrets in dev (subject secret, master key, checkpoint signing key):
 * generated once and kept in the data directory, so the ledger written before a restart still opens
 * and verifies after it. Settings that are set always win; outside dev they are required.
 */
public final class DevAuditSecrets {

  /**
   * Declared here rather than with the devkit's other {@code dev.*} settings: {@code optin audit}
   * of the production command reads the secrets a dev stack left in it.
   */
  public static final Setting<String> DEV_DATA_DIR =
      Setting.text(
          "dev.data.dir",
          ".optin/data",
          "Directory of the embedded broker's data and the dev secrets (relative to the working directory); "
              + "created 0700, or tightened to it when found looser.");

  static final String SUBJECT_FILE = "audit-subject.secret";
  private static final String ORIGIN = "optin dev (kept in %s)";

  private DevAuditSecrets() {}

  /**
   * The settings with every unset audit secret taken from {@code dataDir}, generated there the
   * first time.
   */
  public static Settings loadOrCreate(Settings settings, Path dataDir) {
    Map<String, String> filled = new HashMap<>();
    if (settings.optional(AUDIT_SUBJECT_SECRET).isEmpty()) {
      filled.put(AUDIT_SUBJECT_SECRET.key(), subjectSecret(dataDir));
    }
    if (settings.optional(AUDIT_MASTER_KEY).isEmpty()
        || settings.optional(AUDIT_SIGNING_KEY).isEmpty()) {
      LedgerKeys keys = LedgerKeys.loadOrCreate(dataDir);
      if (settings.optional(AUDIT_MASTER_KEY).isEmpty()) {
        filled.put(AUDIT_MASTER_KEY.key(), keys.master().toBase64());
      }
      if (settings.optional(AUDIT_SIGNING_KEY).isEmpty()) {
        filled.put(AUDIT_SIGNING_KEY.key(), keys.signing().toBase64());
      }
    }
    return filled.isEmpty() ? settings : settings.with(filled, String.format(ORIGIN, dataDir));
  }

  /**
   * The settings with unset audit secrets taken from {@code dataDir} where a dev stack left them;
   * none created.
   */
  public static Settings existing(Settings settings, Path dataDir) {
    boolean kept = Files.exists(dataDir.resolve(SUBJECT_FILE));
    return kept ? loadOrCreate(settings, dataDir) : settings;
  }

  private static String subjectSecret(Path dataDir) {
    Path file = dataDir.resolve(SUBJECT_FILE);
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
      }
      OwnerOnly.directory(dataDir);
      byte[] random = new byte[48];
      new SecureRandom().nextBytes(random);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      OwnerOnly.createFile(file, secret + "\n", StandardCharsets.US_ASCII);
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the dev audit.subject.secret in " + file, e);
    }
  }
}
