package io.optin.audit;

import static io.optin.kit.config.SharedSettings.OTP_SECRET;

import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.config.Setting;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsCatalogue;
import io.optin.kit.config.SettingsException;
import io.optin.kit.config.SharedSettings;
import io.optin.kit.config.ValueType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The settings of the consent ledger ({@code audit.*}): its retention, the keys of the audit sink
 * and of {@code optin audit}, the checkpoints and the archive. The code secret and length it reads
 * are {@link SharedSettings}.
 */
public final class AuditSettings {

  public static final Setting<Duration> AUDIT_RETENTION =
      Setting.of(
          "audit.retention",
          ValueType.RETENTION,
          ValueType.INFINITE,
          value ->
              value.isNegative() || value.compareTo(Duration.ofDays(1)) >= 0
                  ? null
                  : "must be infinite or at least 1d",
          "infinite, or 1d or more",
          "Retention of `optin.consent-audit.v1`, the proof of consent.");

  // The consent ledger (audit sink and `optin audit`)
  public static final Setting<String> AUDIT_SUBJECT_SECRET =
      Setting.of(
          "audit.subject.secret",
          ValueType.STRING,
          null,
          value -> value.length() < 32 ? "must be at least 32 characters long" : null,
          "32 characters or more",
          "Key of the keyed hash of the phone that keys the ledger (subjectKey). When not set it is derived from "
              + "`otp.secret` (HMAC-SHA256 with a fixed label); `optin dev` generates one and keeps it in `dev.data.dir`.");
  public static final Setting<String> AUDIT_MASTER_KEY =
      Setting.optionalText(
          "audit.master.key",
          "AES-256 key (base64 of 32 bytes) wrapping each subject's data key on `optin.consent-keys.v1`. Required "
              + "outside dev; `optin dev` generates one and keeps it in `dev.data.dir`.");
  public static final Setting<String> AUDIT_SIGNING_KEY =
      Setting.optionalText(
          "audit.signing.key",
          "Ed25519 private key (base64 PKCS#8) signing the ledger checkpoints. Required by the audit sink outside "
              + "dev; `optin dev` generates one and keeps it in `dev.data.dir`.");
  public static final Setting<String> AUDIT_SIGNING_PUBLIC_KEY =
      Setting.optionalText(
          "audit.signing.public.key",
          "Ed25519 public key (base64 X.509) that `optin audit verify` checks checkpoints with; derived from "
              + "`audit.signing.key` when that is set.");
  public static final Setting<Duration> AUDIT_CHECKPOINT_INTERVAL =
      Setting.duration(
          "audit.checkpoint.interval",
          Duration.ofSeconds(30),
          Duration.ofSeconds(1),
          Duration.ofHours(1),
          "Wall-clock time between two signed checkpoints of a ledger partition that received records.");
  public static final Setting<Integer> AUDIT_CHECKPOINT_RECORDS =
      Setting.integer(
          "audit.checkpoint.records",
          10_000,
          1,
          10_000_000,
          "Records after which a ledger partition is checkpointed at once.");

  // The consent ledger archive (audit sink)
  public static final Setting<String> AUDIT_ARCHIVE_DIR =
      Setting.optionalText(
          "audit.archive.dir",
          "Directory of the segment-file archive of the ledger (JSON Lines + SHA-256 manifests); empty: none.");
  public static final Setting<String> AUDIT_ARCHIVE_JDBC_URL =
      Setting.optionalText(
          "audit.archive.jdbc.url",
          "PostgreSQL JDBC URL (`jdbc:postgresql://host:5432/db`) of the append-only ledger table; empty: none.");
  public static final Setting<String> AUDIT_ARCHIVE_JDBC_USER =
      Setting.optionalText(
          "audit.archive.jdbc.user",
          "Database role of the archiver (INSERT and SELECT only, see docs/ledger-archive.md).");
  public static final Setting<String> AUDIT_ARCHIVE_JDBC_PASSWORD =
      Setting.optionalText(
          "audit.archive.jdbc.password", "Password of that role; keep it in the environment.");
  public static final Setting<Integer> AUDIT_ARCHIVE_SEGMENT_MAX_RECORDS =
      Setting.integer(
          "audit.archive.segment.max.records",
          100_000,
          1,
          100_000_000,
          "Records after which a segment file is closed with its manifest.");
  public static final Setting<Integer> AUDIT_ARCHIVE_SEGMENT_MAX_BYTES =
      Setting.integer(
          "audit.archive.segment.max.bytes",
          64 * 1024 * 1024,
          1024,
          Integer.MAX_VALUE,
          "Bytes after which a segment file is closed with its manifest.");
  public static final Setting<Duration> AUDIT_ARCHIVE_RETRY_BACKOFF =
      Setting.duration(
          "audit.archive.retry.backoff",
          Duration.ofSeconds(5),
          Duration.ofMillis(100),
          Duration.ofMinutes(10),
          "Pause before an archiver reopens its archive after a failure.");

  /** Every setting of the consent ledger, the shared ones it reads included. */
  public static final SettingsCatalogue CATALOGUE =
      SettingsCatalogue.of(
          SharedSettings.OTP_LENGTH,
          SharedSettings.OTP_SECRET,
          AUDIT_RETENTION,
          AUDIT_SUBJECT_SECRET,
          AUDIT_MASTER_KEY,
          AUDIT_SIGNING_KEY,
          AUDIT_SIGNING_PUBLIC_KEY,
          AUDIT_CHECKPOINT_INTERVAL,
          AUDIT_CHECKPOINT_RECORDS,
          AUDIT_ARCHIVE_DIR,
          AUDIT_ARCHIVE_JDBC_URL,
          AUDIT_ARCHIVE_JDBC_USER,
          AUDIT_ARCHIVE_JDBC_PASSWORD,
          AUDIT_ARCHIVE_SEGMENT_MAX_RECORDS,
          AUDIT_ARCHIVE_SEGMENT_MAX_BYTES,
          AUDIT_ARCHIVE_RETRY_BACKOFF);

  private AuditSettings() {}

  /**
   * The keys of the ledger's subjects: from {@code audit.subject.secret}, else derived from {@code
   * otp.secret} (see {@link SubjectKeys#derivedFrom}); the audit sink and {@code optin audit} share
   * this one rule.
   *
   * @throws SettingsException when neither is set
   */
  public static SubjectKeys subjectKeys(Settings settings) {
    return settings
        .optional(AUDIT_SUBJECT_SECRET)
        .map(secret -> new SubjectKeys(secret.getBytes(StandardCharsets.UTF_8)))
        .orElseGet(
            () ->
                SettingsException.checked(
                    () ->
                        SubjectKeys.derivedFrom(
                            settings.string(OTP_SECRET).getBytes(StandardCharsets.UTF_8))));
  }
}
