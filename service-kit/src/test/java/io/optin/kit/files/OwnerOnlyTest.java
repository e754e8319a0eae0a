package io.optin.kit.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyTest {

  @TempDir Path dir;

  @BeforeEach
  void posixOnly() {
    assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null);
  }

  @Test
  void shouldCreateEveryMissingDirectoryForItsOwnerOnly() throws IOException {
    // When
    Path data = OwnerOnly.directory(dir.resolve("a/b/data"));

    // Then
    assertThat(mode(dir.resolve("a"))).isEqualTo("rwx------");
    assertThat(mode(dir.resolve("a/b"))).isEqualTo("rwx------");
    assertThat(mode(data)).isEqualTo("rwx------");
  }

  @Test
  void shouldTightenAnExistingDirectoryThatOthersCouldRead() throws IOException {
    // Given directories left open by an earlier version, or by hand
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path readOnly = Files.createDirectory(dir.resolve("read-only"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xrwxrwx"));

    // When
    OwnerOnly.directory(open);
    OwnerOnly.directory(readOnly);

    // Then group and others lose everything; the owner's own bits stay as they were
    assertThat(mode(open)).isEqualTo("rwx------");
    assertThat(mode(readOnly)).isEqualTo("r-x------");
  }

  @Test
  void shouldCreateAFileForItsOwnerOnlyWithItsText() throws IOException {
    // When
    Path file = dir.resolve("keys/master.key");
    OwnerOnly.createFile(file, "secret\n", StandardCharsets.US_ASCII);

    // Then
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(mode(file.getParent())).isEqualTo("rwx------");
    assertThat(Files.readString(file)).isEqualTo("secret\n");
    assertThatThrownBy(() -> OwnerOnly.createFile(file, "other\n", StandardCharsets.US_ASCII))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(file)).isEqualTo("secret\n");
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
