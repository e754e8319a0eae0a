package io.optin.systemtests.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.MasterKey;
import io.optin.devkit.DevkitCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code optin broker} and {@code optin run} as separate commands, each on its own thread as it
 * would be in its own terminal: services started apart find the broker and registry from settings
 * alone, and stop cleanly.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RunCommandIT {

  private static final Pattern BROKER = Pattern.compile("Kafka broker\\s+(127\\.0\\.0\\.1:\\d+)");
  private static final Pattern REGISTRY =
      Pattern.compile("Schema Registry\\s+(http://127\\.0\\.0\\.1:\\d+)");
  private static final Pattern HTTP = Pattern.compile("HTTP\\s+(http://127\\.0\\.0\\.1:\\d+)");

  @TempDir Path dir;

  @Test
  void shouldRunServicesAgainstTheBrokerOfAnotherCommand() throws Exception {
    // Given optin broker on free ports
    Running broker =
        Running.start(
            Map.of(
                "OPTIN_DEV_BROKER_PORT",
                "0",
                "OPTIN_DEV_REGISTRY_PORT",
                "0",
                "OPTIN_DEV_DATA_DIR",
                dir.resolve("data").toString(),
                "OPTIN_TOPICS_PARTITIONS",
                "2"),
            "broker");
    String brokerOutput = broker.awaitReady();
    assertThat(brokerOutput).contains("./optin run dispatcher");

    // When the dispatcher and the audit run against it from settings alone
    Running services =
        Running.start(
            Map.of(
                "OPTIN_KAFKA_BOOTSTRAP_SERVERS", group(BROKER, brokerOutput),
                "OPTIN_SCHEMA_REGISTRY_URL", group(REGISTRY, brokerOutput),
                "OPTIN_OTP_SECRET", "test-otp-secret-of-at-least-32-bytes!",
                "OPTIN_TWILIO_FROM", "+15005550006",
                "OPTIN_AUDIT_MASTER_KEY", MasterKey.generate().toBase64(),
                "OPTIN_AUDIT_SIGNING_KEY", CheckpointSigningKey.generate().toBase64(),
                "OPTIN_HTTP_PORT", "0",
                "OPTIN_STREAMS_STATE_DIR", dir.resolve("state").toString()),
            "run",
            "dispatcher",
            "audit");
    String output = services.awaitReady();

    // Then they say they are ready, and so does their health endpoint
    assertThat(output)
        .contains("Starting dispatcher, audit against " + group(BROKER, brokerOutput));
    HttpResponse<String> ready =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(group(HTTP, output) + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body())
        .contains("\"name\":\"dispatcher\",\"ready\":true", "\"name\":\"audit\",\"ready\":true");

    // When both are stopped as Ctrl-C would
    assertThat(services.stop()).isZero();
    assertThat(broker.stop()).isZero();

    // Then
    assertThat(services.output()).contains("Stopped.");
    assertThat(broker.output()).contains("Stopped; data kept in");
  }

  private static String group(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    assertThat(matcher.find()).as(pattern + " in " + text).isTrue();
    return matcher.group(1);
  }

  /** One command on its own thread, with its output. */
  private static final class Running {
    private final StringWriter out = new StringWriter();
    private final Thread thread;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    private Running(Map<String, String> environment, String... args) {
      CommandLine commandLine = DevkitCommand.commandLine(environment);
      commandLine.setOut(new PrintWriter(out, true));
      commandLine.setErr(new PrintWriter(out, true));
      thread =
          new Thread(
              () -> exit.complete(commandLine.execute(args)), "optin-" + args[0] + "-under-test");
    }

    static Running start(Map<String, String> environment, String... args) {
      Running running = new Running(environment, args);
      running.thread.start();
      return running;
    }

    String awaitReady() {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> out.toString().contains("Press Ctrl-C to stop.") || exit.isDone());
      assertThat(exit).as(out.toString()).isNotDone();
      assertThat(out.toString()).contains("Ready in");
      return out.toString();
    }

    int stop() throws Exception {
      thread.interrupt();
      return exit.get(60, TimeUnit.SECONDS);
    }

    String output() {
      return out.toString();
    }
  }
}
