package io.optin.systemtests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.devkit.sandbox.DeliveryScript;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.server.OptinCommand;
import io.optin.server.keys.GeneratedSecrets;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The whole flow on the real thing rather than the embedded one: a broker of the {@code
 * apache/kafka} image and Confluent's own Schema Registry in containers, optin's services in this
 * JVM ({@code optin topics create}, then {@code optin run all}) with secrets from {@code optin keys
 * generate}, and the Twilio sandbox. Skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ContainersFlowIT {

  private static final String ACCOUNT_SID = "AC" + "0".repeat(32);
  private static final String AUTH_TOKEN = "test-auth-token";
  private static final String FROM = "+15005550006";

  private static final Network NETWORK = Network.newNetwork();

  @Container
  private static final KafkaContainer KAFKA =
      new KafkaContainer(DockerImageName.parse("apache/kafka:4.1.1"))
          .withNetwork(NETWORK)
          .withListener("kafka:19092");

  @Container
  private static final GenericContainer<?> REGISTRY =
      new GenericContainer<>(DockerImageName.parse("confluentinc/cp-schema-registry:7.9.0"))
          .withNetwork(NETWORK)
          .dependsOn(KAFKA)
          .withExposedPorts(8081)
          .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
          .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
          .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
          .waitingFor(
              Wait.forHttp("/subjects")
                  .forStatusCode(200)
                  .withStartupTimeout(Duration.ofMinutes(3)));

  @TempDir Path dir;

  @Test
  void shouldConfirmASignupAgainstKafkaAndTheSchemaRegistryInContainers() throws Exception {
    // Given every topic created on the broker by the production command
    Map<String, String> cluster =
        Map.of(
            "OPTIN_KAFKA_BOOTSTRAP_SERVERS",
            KAFKA.getBootstrapServers(),
            "OPTIN_TOPICS_PARTITIONS",
            "2");
    assertThat(OptinCommand.commandLine(cluster).execute("topics", "create")).isZero();

    // And the Twilio sandbox, and optin run all with freshly generated secrets
    try (TwilioSandbox sandbox =
        new TwilioSandbox("127.0.0.1", 0, ACCOUNT_SID, AUTH_TOKEN)
            .deliveryScript(DeliveryScript.allDelivered())
            .start()) {
      GeneratedSecrets secrets = GeneratedSecrets.generate();
      int port = freePort();
      URI api = URI.create("http://127.0.0.1:" + port);
      Map<String, String> environment = new HashMap<>(cluster);
      environment.putAll(secrets.byVariable());
      environment.put(
          "OPTIN_SCHEMA_REGISTRY_URL",
          "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081));
      environment.put("OPTIN_HTTP_PORT", Integer.toString(port));
      environment.put("OPTIN_PUBLIC_BASE_URL", api.toString());
      environment.put("OPTIN_TWILIO_ACCOUNT_SID", ACCOUNT_SID);
      environment.put("OPTIN_TWILIO_AUTH_TOKEN", AUTH_TOKEN);
      environment.put("OPTIN_TWILIO_FROM", FROM);
      environment.put("OPTIN_TWILIO_API_BASE_URL", sandbox.baseUrl().toString());
      environment.put("OPTIN_STREAMS_STATE_DIR", dir.resolve("state").toString());
      RunningCommand optin =
          RunningCommand.start(OptinCommand.commandLine(environment), "run", "all");
      try {
        assertThat(optin.awaitReady()).contains("Ready in");

        // When a subscriber signs up and answers YES, Then it is confirmed
        new SignupThroughTheApi(api, secrets.byVariable().get("OPTIN_API_TOKENS"), sandbox, FROM)
            .confirm("+14155550101");
      } finally {
        assertThat(optin.stop()).isZero();
      }
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
