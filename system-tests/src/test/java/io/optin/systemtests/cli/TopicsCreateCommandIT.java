package io.optin.systemtests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.server.OptinCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TopicsCreateCommandIT {

  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedKafkaBroker.builder().port(0).build().start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void shouldCreateTheTopicsThenReportThemAsExisting() throws Exception {
    // When run twice
    StringWriter first = new StringWriter();
    int firstExit =
        run(
            first,
            "topics",
            "create",
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--partitions",
            "3",
            "--replication-factor",
            "1");
    StringWriter second = new StringWriter();
    int secondExit =
        run(
            second,
            "topics",
            "create",
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--partitions",
            "3");

    // Then
    assertThat(firstExit).isZero();
    assertThat(first.toString())
        .contains(
            "Creating optin topics on "
                + broker.bootstrapServers()
                + ": 3 partitions, replication factor 1")
        .contains("optin.consent-audit.v1", "delete, retention infinite")
        .contains("Done: " + Topics.all().size() + " created, 0 already existed.");
    assertThat(secondExit).isZero();
    assertThat(second.toString())
        .contains("Done: 0 created, " + Topics.all().size() + " already existed.");
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      assertThat(
              admin
                  .describeTopics(Topics.all().stream().map(Topic::name).toList())
                  .allTopicNames()
                  .get()
                  .values())
          .allSatisfy(
              description ->
                  assertThat(description.partitions())
                      .as(description.name())
                      .hasSize(description.name().equals(Topics.INTAKE_CLAIMS.name()) ? 1 : 3));
    }
  }

  @Test
  void shouldExitNonZeroWhenCoPartitionedTopicsDisagree() {
    // Given topics created with 3 partitions (by the test above or here)
    run(
        new StringWriter(),
        "topics",
        "create",
        "--bootstrap-servers",
        broker.bootstrapServers(),
        "--partitions",
        "3");

    // When asked for 6
    StringWriter out = new StringWriter();
    int exit =
        run(
            out,
            "topics",
            "create",
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--partitions",
            "6");

    // Then
    assertThat(exit).isEqualTo(1);
    assertThat(out.toString())
        .contains("has 3 partitions, the co-partitioned topics need 6 (topics.partitions)")
        .contains("FAILED: ");
  }

  private static int run(StringWriter out, String... args) {
    CommandLine commandLine = OptinCommand.commandLine(Map.of());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(out, true));
    return commandLine.execute(args);
  }
}
