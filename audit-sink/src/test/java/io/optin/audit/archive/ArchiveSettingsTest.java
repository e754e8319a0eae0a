package io.optin.audit.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArchiveSettingsTest {

  @Test
  void shouldConfigureNoArchiveByDefault() {
    ArchiveSettings settings = ArchiveSettings.from(Map.of(), Map.of());

    assertThat(settings.any()).isFalse();
    assertThat(settings.rotation()).isEqualTo(SegmentRotation.DEFAULT);
    assertThat(settings.retryBackoff()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void shouldLetTheEnvironmentOverrideTheFileAndCarryThePassword() {
    // Given a file naming the directory and database, and the environment overriding one and adding the password
    ArchiveSettings settings = ArchiveSettings.from(Map.of(
        ArchiveSettings.DIR, "/var/lib/optin/archive",
        ArchiveSettings.JDBC_URL, "jdbc:postgresql://db.internal:5432/optin",
        ArchiveSettings.JDBC_USER, "optin_archiver",
        ArchiveSettings.SEGMENT_MAX_RECORDS, "5000",
        ArchiveSettings.RETRY_BACKOFF, "30s"), Map.of(
        "OPTIN_AUDIT_ARCHIVE_DIR", "/srv/archive",
        "OPTIN_AUDIT_ARCHIVE_JDBC_PASSWORD", "test-password"));

    assertThat(settings.directory()).contains(Path.of("/srv/archive"));
    assertThat(settings.jdbc()).contains(new JdbcTarget("jdbc:postgresql://db.internal:5432/optin", "optin_archiver",
        "test-password"));
    assertThat(settings.rotation()).isEqualTo(new SegmentRotation(5000, SegmentRotation.DEFAULT.maxBytes()));
    assertThat(settings.retryBackoff()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void shouldNameTheSettingThatIsMalformed() {
    assertThatThrownBy(() -> ArchiveSettings.from(Map.of(ArchiveSettings.SEGMENT_MAX_BYTES, "lots"), Map.of()))
        .hasMessageContaining(ArchiveSettings.SEGMENT_MAX_BYTES);
    assertThatThrownBy(() -> ArchiveSettings.from(Map.of(ArchiveSettings.RETRY_BACKOFF, "soon"), Map.of()))
        .hasMessageContaining(ArchiveSettings.RETRY_BACKOFF);
    assertThatThrownBy(() -> ArchiveSettings.from(Map.of(ArchiveSettings.JDBC_URL, "jdbc:mysql://db/optin"), Map.of()))
        .hasMessageContaining(ArchiveSettings.JDBC_URL).hasMessageContaining("PostgreSQL");
  }

  @Test
  void shouldNeverShowThePasswordOrTheUrlQuery() {
    JdbcTarget target = new JdbcTarget("jdbc:postgresql://db/optin?password=test-secret", "optin", "test-secret");

    assertThat(target.toString()).doesNotContain("test-secret");
    assertThat(target.describe()).isEqualTo("jdbc:postgresql://db/optin?…");
  }
}
