package io.optin.devkit.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A slow provider under load: the sandbox holds as many answers at once as it has threads. */
class SandboxThreadsTest {

  private static final String ACCOUNT_SID = "AC" + "1".repeat(32);
  private static final String AUTH_TOKEN = "threads-test-token";

  @Test
  void shouldHoldMoreAnswersThanTheDefaultThreadsWhenGivenMore() throws Exception {
    // Given a sandbox of 48 threads whose provider answers in an hour
    try (TwilioSandbox sandbox =
        new TwilioSandbox("127.0.0.1", 0, ACCOUNT_SID, AUTH_TOKEN)
            .threads(48)
            .apiAnswerDelay(Duration.ofHours(1))
            .start()) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

      // When 32 messages are sent at once (twice the default of 16 threads)
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        answers.add(http.sendAsync(create(sandbox, i), HttpResponse.BodyHandlers.ofString()));
      }

      // Then all 32 are accepted and held together, and answered once the provider speeds up
      await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.heldApiAnswers() == 32);
      sandbox.apiAnswerDelay(Duration.ZERO);
      for (CompletableFuture<HttpResponse<String>> answer : answers) {
        assertThat(answer.get().statusCode()).isEqualTo(201);
      }
      assertThat(sandbox.heldApiAnswers()).isZero();
    }
  }

  @Test
  void shouldTakeItsThreadsOnlyBeforeStarting() throws Exception {
    TwilioSandbox sandbox = new TwilioSandbox("127.0.0.1", 0, ACCOUNT_SID, AUTH_TOKEN);
    assertThatThrownBy(() -> sandbox.threads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threads must be positive: 0");
    try (TwilioSandbox started = sandbox.start()) {
      assertThatThrownBy(() -> started.threads(32))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("already started");
    }
  }

  private static HttpRequest create(TwilioSandbox sandbox, int i) {
    String form =
        "To=%2B1415555" + (2000 + i) + "&From=%2B15005550006&Body=Your+code+is+" + (100000 + i);
    String basic =
        Base64.getEncoder()
            .encodeToString((ACCOUNT_SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8));
    return HttpRequest.newBuilder(
            URI.create(
                sandbox.baseUrl() + "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json"))
        .header("Authorization", "Basic " + basic)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
  }
}
