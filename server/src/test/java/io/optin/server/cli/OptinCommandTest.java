package io.optin.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.server.OptinCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The production command line without a cluster: help, usage errors and settings errors. */
class OptinCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void shouldOfferOnlyTheCommandsThatWork() {
    // When
    int exit = run(Map.of(), "--help");

    // Then
    assertThat(exit).isZero();
    assertThat(commandNames()).containsExactly("run", "topics", "audit", "keys", "help");
    assertThat(out.toString())
        .contains("run", "topics", "audit", "keys")
        .doesNotContain("demo", "broker");
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
    assertThat(err.toString())
        .isEqualTo(
            "optin: topics.partitions=many from file "
                + file
                + ": 'many' is not a whole number"
                + System.lineSeparator());
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void shouldStopOnAnUnknownOptinVariable() {
    // When
    int exit = run(Map.of("OPTIN_SMS_RATE_PER_SECONDS", "20"), "topics", "create");

    // Then
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains("OPTIN_SMS_RATE_PER_SECONDS", "did you mean sms.rate.per.second?");
  }

  @Test
  void shouldNotKnowTheSettingsOfTheLaptopStack() {
    // When the production command is given a setting only the devkit's command knows
    int exit = run(Map.of("OPTIN_DEV_BROKER_PORT", "9093"), "topics", "create");

    // Then
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains("unknown setting in environment variable OPTIN_DEV_BROKER_PORT");
  }

  @Test
  void shouldRefuseToRunAnUnknownServiceOrNone() {
    assertThat(run(Map.of(), "run", "ingest", "mailer")).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "unknown service 'mailer': expected ingest, dispatcher, sender, replies, "
                + "audit, webhooks or all");
    assertThat(run(Map.of(), "run")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter: 'SERVICE'");
  }

  @Test
  void shouldRefuseToOpenTheApiWithoutTokensOutsideDev() {
    // When
    int exit = run(Map.of(), "run", "ingest");

    // Then
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("optin: api.tokens must be set when ingest runs")
        .contains("OPTIN_API_TOKENS");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void shouldRefuseToServeTheConsentExportWithoutTokensOutsideDev() {
    // When the audit alone runs: it serves GET /v1/consent/{phone}, decrypted personal data
    int exit = run(Map.of(), "run", "audit");

    // Then it does not start
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "optin: api.tokens must be set when audit runs: /v1/* (signups, verifications, "
                + "subscribers, consent export) would be open to anyone reaching the port; set "
                + "OPTIN_API_TOKENS=<token>[,<token>...] (only optin dev runs without tokens)"
                + System.lineSeparator());
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void shouldRefuseAManagementPortThatIsTheHttpPort() {
    // When
    int exit =
        run(
            Map.of(
                "OPTIN_API_TOKENS", "t1",
                "OPTIN_HTTP_PORT", "9000",
                "OPTIN_HTTP_MANAGEMENT_PORT", "9000"),
            "run",
            "ingest");

    // Then it does not start, nor bind anything
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "optin: http.management.port=9000 from environment variable "
                + "OPTIN_HTTP_MANAGEMENT_PORT is also http.port: the management port must be "
                + "another port (or -1 for none, 0 for any free port); set "
                + "OPTIN_HTTP_MANAGEMENT_PORT=<port>"
                + System.lineSeparator());
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void shouldCheckOptionsLikeSettings() {
    // When
    int exit = run(Map.of(), "topics", "create", "--partitions", "0");

    // Then
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains("topics.partitions=0 from option --partitions: must be between 1 and 10000");
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
