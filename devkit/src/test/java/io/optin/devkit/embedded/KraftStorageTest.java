package io.optin.devkit.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's log directory: formatted once, and readable by its owner only. */
class KraftStorageTest {

  @TempDir Path dir;

  @BeforeEach
  void posixOnly() {
    assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null);
  }

  @Test
  void shouldFormatANewDataDirectoryForItsOwnerOnly() throws IOException {
    // Given a data directory that does not exist yet
    Path data = dir.resolve("data");

    // When its log directory is formatted
    String clusterId =
        new KraftStorage(data.resolve("kafka"))
            .formatOrReuse(1, SingleNodeBrokerConfig.CONTROLLER_LISTENER);

    // Then both are 0700, and a reuse keeps the cluster
    assertThat(mode(data)).isEqualTo("rwx------");
    assertThat(mode(data.resolve("kafka"))).isEqualTo("rwx------");
    assertThat(Files.exists(data.resolve("kafka").resolve(KraftStorage.META_PROPERTIES))).isTrue();
    assertThat(
            new KraftStorage(data.resolve("kafka"))
                .formatOrReuse(1, SingleNodeBrokerConfig.CONTROLLER_LISTENER))
        .isEqualTo(clusterId);
  }

  @Test
  void shouldTightenALogDirectoryLeftOpenByAnEarlierVersion() throws IOException {
    // Given a formatted log directory others can read
    Path kafka = dir.resolve("kafka");
    String clusterId =
        new KraftStorage(kafka).formatOrReuse(1, SingleNodeBrokerConfig.CONTROLLER_LISTENER);
    Files.setPosixFilePermissions(kafka, PosixFilePermissions.fromString("rwxr-xr-x"));

    // When it is reused
    String reused =
        new KraftStorage(kafka).formatOrReuse(1, SingleNodeBrokerConfig.CONTROLLER_LISTENER);

    // Then
    assertThat(reused).isEqualTo(clusterId);
    assertThat(mode(kafka)).isEqualTo("rwx------");
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
