package io.optin.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.app.OptinCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line without a cluster: help, usage errors and settings errors. */
class OptinCommandTest {

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void shouldOfferOnlyTheCommandsThatWork() {
    // When
    int exit = run(Map.of(), "--help");

    // Then
    assertThat(exit).isZero();
    assertThat(commandNames()).containsExactly("dev", "topics", "audit", "help");
    assertThat(out.toString()).contains("dev", "topics");
  }

  @Test
  void shouldExplainAMissingCommandAsAUsageError() {
    assertThat(run(Map.of())).isEqualTo(2);
    assertThat(err.toString()).contains("Missing command");
    assertThat(run(Map.of(), "topics")).isEqualTo(2);
    assertThat(err.toString()).contains("optin topics create");
  }

  @Test
  void shouldStopOnABadSettingsFileNamingTheSettingAndTheFile() throws IOException {
    // Given
    Path file = dir.resolve("optin.properties");
    Files.writeString(file, "topics.partitions=many\n");

    // When
    int exit = run(Map.of(), "topics", "create", "--config", file.toString());

    // Then
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("optin: topics.partitions=many from file " + file
        + ": 'many' is not a whole number" + System.lineSeparator());
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void shouldStopOnAnUnknownOptinVariable() {
    // When
    int exit = run(Map.of("OPTIN_DEV_BROKER_PROT", "9093"), "dev");

    // Then
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("OPTIN_DEV_BROKER_PROT", "did you mean dev.broker.port?");
  }

  @Test
  void shouldCheckOptionsLikeSettings() {
    // When
    int exit = run(Map.of(), "topics", "create", "--partitions", "0");

    // Then
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("topics.partitions=0 from option --partitions: must be between 1 and 10000");
  }

  private int run(Map<String, String> env, String... args) {
    CommandLine commandLine = OptinCommand.commandLine(env);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private java.util.Set<String> commandNames() {
    return OptinCommand.commandLine(Map.of()).getSubcommands().keySet();
  }
}
