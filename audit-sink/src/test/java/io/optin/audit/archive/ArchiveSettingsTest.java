package io.optin.audit.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.audit.AuditSettings;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArchiveSettingsTest {

  @Test
  void shouldConfigureNoArchiveByDefault() {
    ArchiveSettings settings = ArchiveSettings.from(Settings.defaults(AuditSettings.CATALOGUE));

    assertThat(settings.any()).isFalse();
    assertThat(settings.rotation()).isEqualTo(new SegmentRotation(100_000, 64L * 1024 * 1024));
    assertThat(settings.retryBackoff()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void shouldTakeBothArchivesAndThePasswordFromTheEnvironment() {
    // Given the archive settings as OPTIN_* variables
    ArchiveSettings settings =
        ArchiveSettings.from(
            Settings.load(
                AuditSettings.CATALOGUE,
                Optional.empty(),
                Map.of(
                    "OPTIN_AUDIT_ARCHIVE_DIR", "/srv/archive",
                    "OPTIN_AUDIT_ARCHIVE_JDBC_URL", "jdbc:postgresql://db.internal:5432/optin",
                    "OPTIN_AUDIT_ARCHIVE_JDBC_USER", "optin_archiver",
                    "OPTIN_AUDIT_ARCHIVE_JDBC_PASSWORD", "test-password",
                    "OPTIN_AUDIT_ARCHIVE_SEGMENT_MAX_RECORDS", "5000",
                    "OPTIN_AUDIT_ARCHIVE_RETRY_BACKOFF", "30s")));

    assertThat(settings.directory()).contains(Path.of("/srv/archive"));
    assertThat(settings.jdbc())
        .contains(
            new JdbcTarget(
                "jdbc:postgresql://db.internal:5432/optin", "optin_archiver", "test-password"));
    assertThat(settings.rotation()).isEqualTo(new SegmentRotation(5000, 64L * 1024 * 1024));
    assertThat(settings.retryBackoff()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void shouldNameTheSettingThatIsMalformed() {
    assertThatThrownBy(
            () ->
                Settings.load(
                    AuditSettings.CATALOGUE,
                    Optional.empty(),
                    Map.of("OPTIN_AUDIT_ARCHIVE_SEGMENT_MAX_BYTES", "lots")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("audit.archive.segment.max.bytes");
    assertThatThrownBy(
            () ->
                ArchiveSettings.from(
                    Settings.defaults(AuditSettings.CATALOGUE)
                        .with(Map.of("audit.archive.jdbc.url", "jdbc:mysql://db/optin"), "test")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("audit.archive.jdbc.url")
        .hasMessageContaining("PostgreSQL");
  }

  @Test
  void shouldNeverShowThePasswordOrTheUrlQuery() {
    JdbcTarget target =
        new JdbcTarget("jdbc:postgresql://db/optin?password=test-secret", "optin", "test-secret");

    assertThat(target.toString()).doesNotContain("test-secret");
    assertThat(target.describe()).isEqualTo("jdbc:postgresql://db/optin?…");
  }
}
