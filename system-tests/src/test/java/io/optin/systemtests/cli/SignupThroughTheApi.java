package io.optin.systemtests.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.devkit.sandbox.SandboxMessage;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.devkit.sandbox.WebhookAnswer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One double opt-in as the outside world makes it, against optin's HTTP API wherever it runs: the
 * platform posts the signup, the phone gets its code from the Twilio sandbox and answers YES, and
 * the subscriber is then confirmed.
 */
final class SignupThroughTheApi {

  private static final Duration PATIENCE = Duration.ofMinutes(2);

  private final URI api;
  private final String token;
  private final TwilioSandbox sandbox;
  private final String from;
  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * @param api where the signups, verifications and subscribers are served, and the inbound
   *     webhook: {@code public.base.url}, so that the sandbox's signature matches
   */
  SignupThroughTheApi(URI api, String token, TwilioSandbox sandbox, String from) {
    this.api = api;
    this.token = token;
    this.sandbox = sandbox;
    this.from = from;
  }

  /** Signs {@code phone} up and confirms it by a YES reply; fails on any step that goes wrong. */
  void confirm(String phone) throws Exception {
    // When the platform posts the signup
    HttpResponse<String> accepted =
        send(
            HttpRequest.newBuilder(api.resolve("/v1/signups"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(signup(phone))));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

    // Then the phone gets its code through the Messages API
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                sandbox.messagesTo(phone).stream()
                    .anyMatch(m -> SandboxMessage.OUTBOUND_API.equals(m.direction())));

    // When it answers YES
    WebhookAnswer yes = sandbox.reply(phone, from, "YES", api.resolve("/webhooks/twilio/inbound"));

    // Then it is told, and the subscriber is confirmed
    assertThat(yes.status()).as(yes.body()).isEqualTo(200);
    assertThat(yes.body()).contains("You&apos;re confirmed!");
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(
                        send(HttpRequest.newBuilder(api.resolve("/v1/subscribers/" + phone)))
                            .body())
                    .contains("\"status\":\"CONFIRMED\""));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(
        request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String signup(String phone) {
    return "{\"phone\":\""
        + phone
        + "\",\"programId\":\"acme-deals\",\"consentText\":\"Yes, text me Acme offers. Msg & data"
        + " rates may apply. Reply STOP to opt out.\",\"source\":{\"channel\":\"web_form\","
        + "\"url\":\"https://acme.example/join\",\"ip\":\"203.0.113.7\"},\"locale\":\"en-US\","
        + "\"idempotencyKey\":\"signup-"
        + phone
        + "\"}";
  }
}
