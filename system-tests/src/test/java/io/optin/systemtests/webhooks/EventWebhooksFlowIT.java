package io.optin.systemtests.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.optin.audit.tools.ErasureReceipt;
import io.optin.audit.tools.LedgerEraser;
import io.optin.audit.tools.LedgerTopics;
import io.optin.devkit.EmbeddedOptin;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.systemtests.ReadyOptin;
import io.optin.systemtests.SandboxFlow;
import io.optin.webhooks.WebhookSignature;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product with the webhooks service and one platform endpoint: a phone's signup, YES,
 * STOP and erasure reach the endpoint as subscriber.confirmed, subscriber.opted_out and
 * subscriber.erased, in that order, each signed with webhooks.secret, none holding the code.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EventWebhooksFlowIT {

  private static final String PHONE = "+14155550181";
  private static final String PROGRAM = "acme-deals";
  private static final String SECRET = "flow-it-webhook-secret-of-at-least-32-chars";
  private static final String PATH = "/optin-events";
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final WebhookSignature SIGNATURE =
      new WebhookSignature(SECRET.getBytes(StandardCharsets.UTF_8));

  @TempDir Path dataDir;

  private final HttpClient http = HttpClient.newHttpClient();
  private WebhookReceiver platform;
  private EmbeddedOptin optin;
  private TwilioSandbox sandbox;

  @BeforeEach
  void startEverything() throws Exception {
    platform = new WebhookReceiver(PATH, (id, attempt) -> 200);
    optin =
        ReadyOptin.start(
            dataDir,
            Map.of(
                "OPTIN_PROGRAMS_BRANDS",
                PROGRAM + "=Acme",
                "OPTIN_WEBHOOKS_ENDPOINTS",
                platform.url(PATH),
                "OPTIN_WEBHOOKS_SECRET",
                SECRET));
    sandbox = optin.sandbox().orElseThrow();
  }

  @AfterEach
  void stopEverything() {
    if (optin != null) {
      optin.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void shouldTellThePlatformOfTheConfirmationTheOptOutAndTheErasureInOrderSignedWithoutTheCode()
      throws Exception {
    // Given a phone that signed up and received its code
    assertThat(post("/v1/signups", signup()).statusCode()).isEqualTo(202);
    String code = awaitCode();

    // When it answers YES
    assertThat(sandbox.reply(PHONE, from(), "YES").status()).isEqualTo(200);
    // Then the platform is told it is confirmed
    await().atMost(PATIENCE).until(() -> types().equals(List.of("subscriber.confirmed")));

    // When it answers STOP
    assertThat(sandbox.reply(PHONE, from(), "STOP").status()).isEqualTo(200);
    // Then the platform is told it opted out
    await()
        .atMost(PATIENCE)
        .until(() -> types().equals(List.of("subscriber.confirmed", "subscriber.opted_out")));

    // When the phone is erased, as `optin audit erase` does
    Map<String, Object> kafka = Map.of("bootstrap.servers", optin.bootstrapServers());
    LedgerTopics ledger = new LedgerTopics(kafka, optin.serdes(), Duration.ofSeconds(30));
    LedgerEraser eraser = new LedgerEraser(kafka, optin.serdes(), optin.subjectKeys());
    ErasureReceipt receipt = eraser.erase(PHONE, "dpo", "ticket 7", Instant.now(), ledger);
    assertThat(eraser.awaitErased(receipt, PHONE, ledger, PATIENCE)).isPresent();

    // Then the platform is told of the erasure, last, and of nothing else
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                types()
                    .equals(
                        List.of(
                            "subscriber.confirmed", "subscriber.opted_out", "subscriber.erased")));
    List<WebhookReceiver.Received> received = platform.received();
    // each request signed with the shared secret over its raw body, its id in the header
    assertThat(received)
        .allSatisfy(
            request -> {
              assertThat(request.contentType()).isEqualTo("application/json");
              assertThat(request.eventId()).isEqualTo(request.id());
              assertThat(
                      SIGNATURE.verifies(
                          request.signature(), request.body(), Instant.now().getEpochSecond(), 300))
                  .as(request.signature())
                  .isTrue();
            });
    assertThat(received).extracting(WebhookReceiver.Received::id).doesNotHaveDuplicates();
    // and no payload holds the code, a code hash or a token
    assertThat(received)
        .allSatisfy(
            request -> {
              assertThat(new String(request.body(), StandardCharsets.UTF_8)).doesNotContain(code);
              assertThat(fieldNames(request.json().get("data")))
                  .noneMatch(
                      name ->
                          name.toLowerCase(Locale.ROOT).contains("code")
                              || name.toLowerCase(Locale.ROOT).contains("hash")
                              || name.toLowerCase(Locale.ROOT).contains("token"));
            });
    // and each is about the phone, in E.164, in the order it happened
    List<JsonNode> events = received.stream().map(WebhookReceiver.Received::json).toList();
    assertThat(events)
        .extracting(event -> event.get("data").get("phone").asText())
        .containsOnly(PHONE);
    assertThat(events)
        .extracting(event -> Instant.parse(event.get("createdAt").asText()))
        .isSorted();
    JsonNode confirmed = events.get(0).get("data");
    assertThat(confirmed.get("programId").asText()).isEqualTo(PROGRAM);
    assertThat(confirmed.get("method").asText()).isEqualTo("REPLY_YES");
    assertThat(confirmed.get("confirmedVia").asText()).isEqualTo("SMS");
    assertThat(confirmed.get("signupChannel").asText()).isEqualTo("WEB_FORM");
    assertThat(confirmed.get("locale").asText()).isEqualTo("en-US");
    JsonNode optedOut = events.get(1).get("data");
    assertThat(optedOut.get("programId").asText()).isEqualTo(PROGRAM);
    assertThat(optedOut.get("challengeId").asText())
        .isEqualTo(confirmed.get("challengeId").asText());
    assertThat(optedOut.get("reason").asText()).containsIgnoringCase("STOP");
    // and the erasure still names the phone, so the platform can erase its own copy, for every
    // program (docs/webhooks.md)
    JsonNode erased = events.get(2).get("data");
    assertThat(erased.get("programId").isNull()).isTrue();
    assertThat(Instant.parse(erased.get("erasedAt").asText())).isNotNull();
  }

  private List<String> types() {
    List<String> types = new ArrayList<>();
    for (WebhookReceiver.Received request : platform.received()) {
      types.add(request.json().get("type").asText());
    }
    return types;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private String from() {
    return optin.fromNumber().orElseThrow();
  }

  private String awaitCode() {
    return SandboxFlow.awaitCode(sandbox, PHONE, 1);
  }

  private static String signup() {
    return SandboxFlow.webSignup(PHONE, PROGRAM);
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        SandboxFlow.jsonPost(optin.gatewayUrl(), path, json), HttpResponse.BodyHandlers.ofString());
  }
}
