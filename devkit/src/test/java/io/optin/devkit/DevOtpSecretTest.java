package io.optin.devkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevOtpSecretTest {

  @TempDir Path dir;

  @Test
  void shouldGenerateAStrongSecretOnceAndKeepIt() throws IOException {
    // Given a data directory that does not exist yet
    Path dataDir = dir.resolve("data");

    // When
    String first = DevOtpSecret.loadOrCreate(dataDir);
    String second = DevOtpSecret.loadOrCreate(dataDir);

    // Then
    assertThat(first).hasSize(43).matches("[A-Za-z0-9_-]+").isEqualTo(second);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dataDir.resolve("otp.secret"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
        .isEqualTo("rwx------");
  }

  @Test
  void shouldGiveEachDataDirectoryItsOwnSecret() {
    assertThat(DevOtpSecret.loadOrCreate(dir.resolve("one")))
        .isNotEqualTo(DevOtpSecret.loadOrCreate(dir.resolve("two")));
  }
}
