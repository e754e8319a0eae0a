package io.optin.devkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.devkit.DevkitCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad arguments of optin bench are refused before anything starts, with the option named. */
class BenchCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void shouldRefuseBothLoadsAtOnce() {
    assertThat(run("bench", "--flows", "10", "--rate", "5", "--duration", "2s")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "optin bench: give either --flows (closed loop) or --rate with --duration (open loop),"
                + " not both"
                + System.lineSeparator());
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void shouldRefuseARateWithoutADuration() {
    assertThat(run("bench", "--rate", "200")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "optin bench: --rate needs --duration (how long to send at that rate)"
                + System.lineSeparator());
  }

  @Test
  void shouldRefuseAnUnknownWayIn() {
    assertThat(run("bench", "--via", "smtp")).isEqualTo(2);
    assertThat(err.toString()).contains("--via must be http or kafka, got 'smtp'");
  }

  @Test
  void shouldRefuseABadDuration() {
    assertThat(run("bench", "--provider-latency", "soon")).isEqualTo(2);
    assertThat(err.toString()).contains("--provider-latency", "soon");
  }

  @Test
  void shouldRefuseAnOutOfRangeConcurrency() {
    assertThat(run("bench", "--flows", "10", "--concurrency", "0")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "optin bench: --concurrency must be between 1 and 4096, got 0"
                + System.lineSeparator());
  }

  @Test
  void shouldRefuseAPartialRunningOptin() {
    assertThat(run("bench", "--bootstrap-servers", "127.0.0.1:9092")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "optin bench: a running optin needs all of --bootstrap-servers, --registry and"
                + " --target (missing: --registry, --target)"
                + System.lineSeparator());
  }

  @Test
  void shouldDescribeEveryOption() {
    assertThat(run("bench", "--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--rate",
            "--duration",
            "--flows",
            "--provider-latency",
            "--reply-delay",
            "--via",
            "--concurrency",
            "--drain",
            "--baseline-records",
            "--out",
            "--bootstrap-servers",
            "--registry",
            "--target",
            "--token",
            "--sandbox-port",
            "--twilio-account-sid",
            "--twilio-auth-token");
  }

  private int run(String... args) {
    CommandLine commandLine = DevkitCommand.commandLine(Map.of());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }
}
