package io.optin.audit.archive;

import static io.optin.audit.AuditSettings.AUDIT_ARCHIVE_DIR;
import static io.optin.audit.AuditSettings.AUDIT_ARCHIVE_JDBC_PASSWORD;
import static io.optin.audit.AuditSettings.AUDIT_ARCHIVE_JDBC_URL;
import static io.optin.audit.AuditSettings.AUDIT_ARCHIVE_JDBC_USER;
import static io.optin.audit.AuditSettings.AUDIT_ARCHIVE_RETRY_BACKOFF;
import static io.optin.audit.AuditSettings.AUDIT_ARCHIVE_SEGMENT_MAX_BYTES;
import static io.optin.audit.AuditSettings.AUDIT_ARCHIVE_SEGMENT_MAX_RECORDS;

import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the ledger is archived: segment files under {@code audit.archive.dir}, PostgreSQL at {@code
 * audit.archive.jdbc.url}, both or neither (settings of docs/settings.md; the password belongs in
 * {@code OPTIN_AUDIT_ARCHIVE_JDBC_PASSWORD}).
 */
public record ArchiveSettings(
    Optional<Path> directory,
    Optional<JdbcTarget> jdbc,
    SegmentRotation rotation,
    Duration retryBackoff) {

  public ArchiveSettings {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(jdbc, "jdbc");
    Objects.requireNonNull(rotation, "rotation");
    Objects.requireNonNull(retryBackoff, "retryBackoff");
  }

  /**
   * The archive settings among the loaded ones.
   *
   * @throws SettingsException naming {@code audit.archive.jdbc.url} when it is not a PostgreSQL URL
   */
  public static ArchiveSettings from(Settings settings) {
    Optional<Path> directory = nonBlank(settings.optional(AUDIT_ARCHIVE_DIR)).map(Path::of);
    Optional<JdbcTarget> jdbc;
    try {
      jdbc =
          nonBlank(settings.optional(AUDIT_ARCHIVE_JDBC_URL))
              .map(
                  url ->
                      new JdbcTarget(
                          url,
                          nonBlank(settings.optional(AUDIT_ARCHIVE_JDBC_USER)).orElse(null),
                          nonBlank(settings.optional(AUDIT_ARCHIVE_JDBC_PASSWORD)).orElse(null)));
    } catch (IllegalArgumentException e) {
      throw new SettingsException(AUDIT_ARCHIVE_JDBC_URL.key() + ": " + e.getMessage());
    }
    return new ArchiveSettings(
        directory,
        jdbc,
        new SegmentRotation(
            settings.integer(AUDIT_ARCHIVE_SEGMENT_MAX_RECORDS),
            settings.integer(AUDIT_ARCHIVE_SEGMENT_MAX_BYTES)),
        settings.duration(AUDIT_ARCHIVE_RETRY_BACKOFF));
  }

  /** Whether any archive is configured. */
  public boolean any() {
    return directory.isPresent() || jdbc.isPresent();
  }

  private static Optional<String> nonBlank(Optional<String> value) {
    return value.map(String::strip).filter(text -> !text.isEmpty());
  }
}
