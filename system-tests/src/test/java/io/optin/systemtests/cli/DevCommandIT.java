package io.optin.systemtests.cli;

import static io.optin.systemtests.cli.RunningCommand.group;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.optin.devkit.DevSettings;
import io.optin.devkit.DevkitCommand;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.server.ListeningPorts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code optin dev} run in-process on free ports, stopped by interrupting its thread as Ctrl-C
 * would.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DevCommandIT {

  private static final Pattern BROKER = Pattern.compile("Kafka broker\\s+(127\\.0\\.0\\.1:\\d+)");
  private static final Pattern REGISTRY =
      Pattern.compile("Schema Registry\\s+(http://127\\.0\\.0\\.1:\\d+)");
  private static final Pattern MANAGEMENT =
      Pattern.compile("Management\\s+(http://127\\.0\\.0\\.1:\\d+)  \\(management port \\d+: ");

  @TempDir Path dir;

  @Test
  void shouldServeEveryTopicAndTheRegistryThenStopCleanlyKeepingTheData() throws Exception {
    // Given settings with free ports and a data directory of our own
    Path config = config(0, 0);

    // When started
    RunningCommand first = start(config);
    String output = first.awaitReady();

    // Then the broker serves every topic of the catalogue and the registry answers
    String bootstrap = group(BROKER, output);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      assertThat(admin.listTopics().names().get())
          .containsAll(Topics.all().stream().map(Topic::name).toList());
    }
    assertThat(get(group(REGISTRY, output) + "/subjects")).isEqualTo("[]");
    assertThat(output)
        .contains("Data directory   " + dir.resolve("data").toAbsolutePath())
        .contains("Topics: " + Topics.all().size() + " created, 0 already existed.");
    // And the management port it printed answers health, and nothing of the API
    String management = group(MANAGEMENT, output);
    assertThat(get(management + "/health/live")).startsWith("{\"live\":true,");
    assertThat(get(management + "/v1/subscribers/+14155550123"))
        .isEqualTo("{\"error\":\"not found\"}");

    // When stopped
    assertThat(first.stop()).isZero();

    // Then it said so, released its ports and kept its data for the next start
    assertThat(first.output()).contains("Stopped cleanly in");
    int port = Integer.parseInt(bootstrap.substring(bootstrap.indexOf(':') + 1));
    assertThatCode(() -> ListeningPorts.requireFree("127.0.0.1", port, DevSettings.DEV_BROKER_PORT))
        .doesNotThrowAnyException();
    assertThat(dir.resolve("data").resolve("otp.secret")).exists();

    RunningCommand second = start(config);
    assertThat(second.awaitReady())
        .contains("Topics: 0 created, " + Topics.all().size() + " already existed.");
    assertThat(second.stop()).isZero();
  }

  @Test
  void shouldExitNonZeroNamingTheSettingWhenTheBrokerPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      // Given
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      Path config = config(taken.getLocalPort(), 0);

      // When
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine commandLine = DevkitCommand.commandLine(Map.of());
      commandLine.setOut(new PrintWriter(out, true));
      commandLine.setErr(new PrintWriter(err, true));
      int exit = commandLine.execute("dev", "--config", config.toString());

      // Then
      assertThat(exit).isEqualTo(1);
      assertThat(err.toString())
          .startsWith(
              "optin: 127.0.0.1:" + taken.getLocalPort() + " (dev.broker.port) is already in use");
    }
  }

  private Path config(int brokerPort, int registryPort) throws IOException {
    Path file = dir.resolve("dev.properties");
    Files.writeString(
        file,
        "dev.broker.port="
            + brokerPort
            + "\n"
            + "dev.registry.port="
            + registryPort
            + "\n"
            + "dev.sandbox.port=0\n"
            + "http.port=0\n"
            + "http.management.port=0\n"
            + "dev.data.dir="
            + dir.resolve("data")
            + "\n"
            // Streams members do not leave their group on close: the second start would wait out
            // the first one's sessions (45 s by default) before its apps are assigned and ready.
            + "kafka.session.timeout.ms=6000\n"
            + "kafka.heartbeat.interval.ms=1000\n");
    return file;
  }

  /** {@code optin dev} with this configuration file. */
  private static RunningCommand start(Path config) {
    return RunningCommand.start(
        DevkitCommand.commandLine(Map.of()), "dev", "--config", config.toString());
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    return response.body();
  }
}
