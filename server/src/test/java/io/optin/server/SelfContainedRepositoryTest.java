package io.optin.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository stands on its own: no source, doc or build file points at a design brief or a
 * folder outside the checkout, so every reference a reader follows can be opened.
 */
class SelfContainedRepositoryTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", ".git", "node_modules");
  // Spelled in two parts so that this file does not match itself.
  private static final List<String> OUTSIDE_REFERENCES =
      List.of("DESIGN" + ".md", "../" + "shared", "shared/" + "seeds");

  @Test
  void shouldReferToNoFileOutsideTheRepository() throws IOException {
    // Given every text file of the checkout
    List<String> offending = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path file : files.filter(Files::isRegularFile).filter(this::inScope).toList()) {
        String text = readText(file);
        // Then none names a file outside it
        for (String reference : OUTSIDE_REFERENCES) {
          if (text.contains(reference)) {
            offending.add(ROOT.relativize(file) + " mentions " + reference);
          }
        }
      }
    }
    assertThat(offending).isEmpty();
  }

  @Test
  void shouldLookAtTheWholeCheckout() throws IOException {
    // A walk from the wrong directory would find nothing and pass: the root must be the reactor's
    assertThat(ROOT.resolve("pom.xml")).exists();
    assertThat(ROOT.resolve("README.md")).exists();
    assertThat(readText(ROOT.resolve("pom.xml"))).contains("<artifactId>optin-parent</artifactId>");
  }

  private boolean inScope(Path file) {
    for (Path part : ROOT.relativize(file)) {
      if (SKIPPED_DIRECTORIES.contains(part.toString())) {
        return false;
      }
    }
    return true;
  }

  private static String readText(Path file) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (MalformedInputException binary) {
      return "";
    }
  }
}
