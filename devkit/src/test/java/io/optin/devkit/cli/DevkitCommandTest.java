package io.optin.devkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.devkit.DevkitCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The laptop's command line: the production commands plus demo, dev, broker and bench, demo first.
 */
class DevkitCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void shouldOfferTheLaptopCommandsFirst() {
    // When
    int exit = run(Map.of(), "--help");

    // Then
    assertThat(exit).isZero();
    assertThat(DevkitCommand.commandLine(Map.of()).getSubcommands().keySet())
        .containsExactly(
            "demo", "dev", "broker", "bench", "run", "topics", "audit", "keys", "help");
    assertThat(out.toString())
        .contains("demo", "dev", "broker", "bench", "run", "topics", "audit", "keys");
  }

  @Test
  void shouldPointANewcomerAtTheDemo() {
    assertThat(run(Map.of())).isEqualTo(2);
    assertThat(err.toString()).contains("Missing command: try 'optin demo'");
  }

  @Test
  void shouldStopDevOnAnUnknownOptinVariable() {
    // When
    int exit = run(Map.of("OPTIN_DEV_BROKER_PROT", "9093"), "dev");

    // Then
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("OPTIN_DEV_BROKER_PROT", "did you mean dev.broker.port?");
  }

  @Test
  void shouldLetTheProductionCommandsOfTheLaptopJarReadTheDevSettings() {
    // When topics create of the laptop's jar is given a dev setting and a bad partition count
    int exit =
        run(
            Map.of("OPTIN_DEV_BROKER_PORT", "9093", "OPTIN_TOPICS_PARTITIONS", "0"),
            "topics",
            "create");

    // Then only the bad value is refused
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "optin: topics.partitions=0 from environment variable OPTIN_TOPICS_PARTITIONS: must be"
                + " between 1 and 10000"
                + System.lineSeparator());
  }

  private int run(Map<String, String> env, String... args) {
    CommandLine commandLine = DevkitCommand.commandLine(env);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }
}
