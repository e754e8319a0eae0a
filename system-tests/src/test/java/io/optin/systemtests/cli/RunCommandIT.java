package io.optin.systemtests.cli;

import static io.optin.systemtests.cli.RunningCommand.group;
import static org.assertj.core.api.Assertions.assertThat;

import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.MasterKey;
import io.optin.devkit.DevkitCommand;
import io.optin.server.OptinCommand;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
  private static final Pattern MANAGEMENT =
      Pattern.compile("Management\\s+(http://127\\.0\\.0\\.1:\\d+) \\(management port \\d+: ");

  private static final String API_TOKEN = "run-command-it-token";

  @TempDir Path dir;

  @Test
  void shouldRunServicesAgainstTheBrokerOfAnotherCommand() throws Exception {
    // Given optin broker on free ports
    // (the broker is the laptop's command; the services run under the production command alone)
    RunningCommand broker =
        RunningCommand.start(
            DevkitCommand.commandLine(
                Map.of(
                    "OPTIN_DEV_BROKER_PORT",
                    "0",
                    "OPTIN_DEV_REGISTRY_PORT",
                    "0",
                    "OPTIN_DEV_DATA_DIR",
                    dir.resolve("data").toString(),
                    "OPTIN_TOPICS_PARTITIONS",
                    "2")),
            "broker");
    String brokerOutput = broker.awaitReady();
    assertThat(brokerOutput).contains("Ready in", "./optin run dispatcher");
    // And its data directory, the broker's log and the dev secrets are for their owner alone
    Path data = dir.resolve("data");
    assertThat(mode(data)).isEqualTo("rwx------");
    assertThat(mode(data.resolve("kafka"))).isEqualTo("rwx------");
    assertThat(mode(data.resolve("otp.secret"))).isEqualTo("rw-------");
    assertThat(mode(data.resolve("audit-subject.secret"))).isEqualTo("rw-------");

    // When the dispatcher and the audit run against it from settings alone
    RunningCommand services =
        RunningCommand.start(
            OptinCommand.commandLine(
                Map.of(
                    "OPTIN_KAFKA_BOOTSTRAP_SERVERS",
                    group(BROKER, brokerOutput),
                    "OPTIN_SCHEMA_REGISTRY_URL",
                    group(REGISTRY, brokerOutput),
                    "OPTIN_OTP_SECRET",
                    "test-otp-secret-of-at-least-32-bytes!",
                    "OPTIN_TWILIO_FROM",
                    "+15005550006",
                    "OPTIN_AUDIT_MASTER_KEY",
                    MasterKey.generate().toBase64(),
                    "OPTIN_AUDIT_SIGNING_KEY",
                    CheckpointSigningKey.generate().toBase64(),
                    "OPTIN_HTTP_PORT",
                    "0",
                    "OPTIN_HTTP_MANAGEMENT_PORT",
                    "0",
                    "OPTIN_API_TOKENS",
                    API_TOKEN,
                    "OPTIN_STREAMS_STATE_DIR",
                    dir.resolve("state").toString())),
            "run",
            "dispatcher",
            "audit");
    String output = services.awaitReady();

    // Then they say they are ready, and so does their health endpoint
    assertThat(output)
        .contains("Ready in", "Starting dispatcher, audit against " + group(BROKER, brokerOutput));
    HttpResponse<String> ready =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(group(HTTP, output) + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body())
        .contains("\"name\":\"dispatcher\",\"ready\":true", "\"name\":\"audit\",\"ready\":true");

    // And the management port it printed answers health, and nothing of the API
    String management = group(MANAGEMENT, output);
    assertThat(management).isNotEqualTo(group(HTTP, output));
    HttpResponse<String> managementReady =
        get(HttpRequest.newBuilder(URI.create(management + "/health/ready")).build());
    assertThat(managementReady.statusCode()).isEqualTo(200);
    assertThat(managementReady.body()).isEqualTo(ready.body());
    HttpResponse<String> notThere =
        get(
            HttpRequest.newBuilder(URI.create(management + "/v1/consent/+15005550006"))
                .header("Authorization", "Bearer " + API_TOKEN)
                .build());
    assertThat(notThere.statusCode()).isEqualTo(404);
    assertThat(notThere.body()).isEqualTo("{\"error\":\"not found\"}");

    // And the audit's consent export answers only a request with a token
    URI consent = URI.create(group(HTTP, output) + "/v1/consent/+15005550006");
    HttpResponse<String> anonymous = get(HttpRequest.newBuilder(consent).build());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).isEqualTo("{\"error\":\"missing or unknown API token\"}");
    HttpResponse<String> authorised =
        get(HttpRequest.newBuilder(consent).header("Authorization", "Bearer " + API_TOKEN).build());
    assertThat(authorised.statusCode()).isEqualTo(404);
    assertThat(authorised.body())
        .isEqualTo("{\"error\":\"no consent record for this phone\",\"field\":\"phone\"}");

    // When both are stopped as Ctrl-C would
    assertThat(services.stop()).isZero();
    assertThat(broker.stop()).isZero();

    // Then
    assertThat(services.output()).contains("Stopped.");
    assertThat(broker.output()).contains("Stopped; data kept in");
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private static HttpResponse<String> get(HttpRequest request) throws Exception {
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }
}
