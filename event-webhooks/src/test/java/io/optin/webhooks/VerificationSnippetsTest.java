package io.optin.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verification snippets of docs/examples accept what the service signs and refuse a tampered
 * body, an old time and another secret; each is skipped when its interpreter is not installed.
 */
class VerificationSnippetsTest {

  private static final Path EXAMPLES = Path.of("..", "docs", "examples");
  private static final String SECRET = "snippet-secret-of-at-least-32-characters";

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"python3 verify_webhook.py", "node verify-webhook.js"})
  void shouldAcceptWhatTheServiceSignsAndRefuseTheRest(String command) throws Exception {
    List<String> program = List.of(command.split(" "));
    assumeTrue(installed(program.get(0)), program.get(0) + " is not installed");
    // Given a signed event body
    byte[] body =
        new WebhookEvent(
                "7c3f0e2a-0000-3000-8000-000000000001",
                EventTypes.SUBSCRIBER_CONFIRMED,
                Instant.parse("2026-03-02T09:17:05.123Z"),
                java.util.Map.of("phone", "+14155550123", "programId", "acme-deals"))
            .body();
    Path file = Files.write(dir.resolve("body.json"), body);
    Path tampered =
        Files.write(
            dir.resolve("tampered.json"),
            new String(body, StandardCharsets.UTF_8)
                .replace("+14155550123", "+14155550124")
                .getBytes(StandardCharsets.UTF_8));
    WebhookSignature signature = new WebhookSignature(SECRET.getBytes(StandardCharsets.UTF_8));
    long now = Instant.now().getEpochSecond();
    String fresh = signature.header(now, body);

    // Then
    assertThat(run(program, SECRET, fresh, file)).isZero();
    assertThat(run(program, SECRET, fresh, tampered)).isEqualTo(1);
    assertThat(run(program, SECRET, signature.header(now - 600, body), file)).isEqualTo(1);
    assertThat(run(program, "another-secret-of-at-least-32-characters", fresh, file)).isEqualTo(1);
  }

  @Test
  void shouldShipBothSnippets() {
    assertThat(EXAMPLES.resolve("verify_webhook.py")).isRegularFile();
    assertThat(EXAMPLES.resolve("verify-webhook.js")).isRegularFile();
  }

  private int run(List<String> program, String secret, String header, Path body)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                program.get(0),
                EXAMPLES.resolve(program.get(1)).toString(),
                secret,
                header,
                body.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    int exit = process.exitValue();
    assertThat(output.strip()).isEqualTo(exit == 0 ? "valid" : "invalid");
    return exit;
  }

  private static boolean installed(String interpreter) {
    try {
      Process process =
          new ProcessBuilder(interpreter, "--version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
