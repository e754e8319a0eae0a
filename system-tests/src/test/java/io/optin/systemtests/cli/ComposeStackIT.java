package io.optin.systemtests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.devkit.sandbox.DeliveryScript;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.server.OptinCommand;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The repository's docker-compose.yml as a user starts it: the image built from the Dockerfile,
 * secrets from {@code optin keys generate --template .env.example}, three brokers, the registry,
 * the topics job, every service in its own container, the gateway; one signup driven through the
 * gateway to a confirmed subscriber, the SMS going to the Twilio sandbox on the Docker host.
 * Skipped where no Docker engine runs; it needs the host ports the compose file publishes (8080,
 * 8081, 9090, 3000, 19092, 29092, 39092) free and the {@code docker compose} command.
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ComposeStackIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String ACCOUNT_SID = "AC" + "0".repeat(32);
  private static final String AUTH_TOKEN = "test-auth-token";
  private static final String FROM = "+15005550006";
  private static final URI GATEWAY = URI.create("http://localhost:8080");
  private static final List<String> OPTIN_SERVICES =
      List.of("ingest", "dispatcher", "sender", "replies", "audit");

  @TempDir Path dir;

  @Test
  void shouldConfirmASignupThroughTheComposeStack() throws Exception {
    try (TwilioSandbox sandbox =
        new TwilioSandbox("0.0.0.0", 0, ACCOUNT_SID, AUTH_TOKEN)
            .deliveryScript(DeliveryScript.allDelivered())
            .start()) {
      // Given an env file as the docs make it: generated secrets, then Twilio's values
      Path envFile = dir.resolve(".env");
      assertThat(
              OptinCommand.commandLine(Map.of())
                  .execute(
                      "keys",
                      "generate",
                      "--template",
                      ROOT.resolve(".env.example").toString(),
                      "--out",
                      envFile.toString()))
          .isZero();
      String filled =
          Files.readString(envFile)
                  .replace(
                      "OPTIN_TWILIO_ACCOUNT_SID=\n",
                      "OPTIN_TWILIO_ACCOUNT_SID=" + ACCOUNT_SID + "\n")
                  .replace(
                      "OPTIN_TWILIO_AUTH_TOKEN=\n", "OPTIN_TWILIO_AUTH_TOKEN=" + AUTH_TOKEN + "\n")
                  .replace("OPTIN_TWILIO_FROM=\n", "OPTIN_TWILIO_FROM=" + FROM + "\n")
                  .replace("OPTIN_PUBLIC_BASE_URL=\n", "OPTIN_PUBLIC_BASE_URL=" + GATEWAY + "\n")
              + "OPTIN_TWILIO_API_BASE_URL=http://host.docker.internal:"
              + sandbox.port()
              + "\n";
      Files.writeString(envFile, filled, StandardCharsets.UTF_8);
      String token =
          filled
              .lines()
              .filter(line -> line.startsWith("OPTIN_API_TOKENS="))
              .findFirst()
              .orElseThrow()
              .substring("OPTIN_API_TOKENS=".length());

      // When the stack is built and started, every optin service healthy
      ComposeContainer compose =
          new ComposeContainer(new File(ROOT.resolve("docker-compose.yml").toString()))
              .withBuild(true)
              .withRemoveVolumes(true)
              .withEnv("DEPLOY_ENV_FILE", envFile.toString())
              .withEnv("OPTIN_PUBLIC_BASE_URL", GATEWAY.toString())
              .withExposedService(
                  "gateway", 8080, Wait.forHttp("/gateway/health").forStatusCode(200))
              .withStartupTimeout(Duration.ofMinutes(15));
      for (String service : OPTIN_SERVICES) {
        compose = compose.waitingFor(service, Wait.forHealthcheck());
      }
      compose.start();
      try {
        // Then a signup through the gateway ends confirmed
        new SignupThroughTheApi(GATEWAY, token, sandbox, FROM).confirm("+14155550102");
      } finally {
        compose.stop();
      }
    }
  }
}
