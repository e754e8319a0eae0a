package io.optin.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.avro.ConsentEventType;
import io.optin.avro.SubscriberConfirmed;
import io.optin.devkit.EmbeddedOptin;
import io.optin.devkit.sandbox.SandboxMessage;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.devkit.sandbox.WebhookAnswer;
import io.optin.kit.http.ContractCheckedHttpClient;
import io.optin.kit.metrics.PrometheusText;
import io.optin.schemas.Topics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product in one process, as {@code optin dev} runs it, driven only from outside: HTTP
 * requests to the API, SMS and replies through the Twilio sandbox, and topics read back by a plain
 * consumer with our Avro deserializer, the way a data team would.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class EndToEndIT {

  private static final String FIRST = "+14155550123";
  private static final String SECOND = "+14155550124";
  private static final String PROGRAM = "acme-deals";
  private static final String OTHER_PROGRAM = "acme-news";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path dataDir;

  // Every answer is checked against docs/openapi.yaml: the document cannot drift from the services.
  private final ContractCheckedHttpClient http = ContractCheckedHttpClient.newClient();
  private EmbeddedOptin optin;
  private TwilioSandbox sandbox;

  @BeforeEach
  void startEverything() {
    optin =
        ReadyOptin.start(
            dataDir,
            Map.of(
                "OPTIN_PROGRAMS_BRANDS",
                PROGRAM + "=Acme",
                // A pumping guard quick to trip: 3 codes to a prefix in the hour, under 30 %
                // confirmed (see the last step)
                "OPTIN_LIMITS_PUMPING_MIN_SENDS",
                "3",
                "OPTIN_LIMITS_PUMPING_MIN_CONFIRM_PERCENT",
                "30"));
    sandbox = optin.sandbox().orElseThrow();
  }

  @AfterEach
  void stopEverything() {
    System.out.printf(
        "%s: %d answers validated against docs/openapi.yaml%n", "EndToEndIT", http.validated());
    if (optin != null) {
      optin.close();
    }
  }

  @Test
  void shouldConfirmOnceByReplyAndByCodeEntryRefuseForgeriesAndAuditEveryStep() throws Exception {
    // Given a signup over HTTP
    assertThat(post("/v1/signups", signup(FIRST, PROGRAM)).statusCode()).isEqualTo(202);

    // Then its code arrives at the phone, signed with the program's brand
    String code = awaitCode(FIRST, 1);
    assertThat(sentThroughTheApi(FIRST).get(0).body()).startsWith("Acme: your code is " + code);

    // When the phone replies YES (a signed webhook from the sandbox)
    WebhookAnswer yes = sandbox.reply(FIRST, from(), "YES");

    // Then it is told it is confirmed, and exactly one confirmation is published
    assertThat(yes.status()).isEqualTo(200);
    assertThat(yes.body()).contains("You&apos;re confirmed!");
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(confirmationsOf(FIRST))
                    .extracting(SubscriberConfirmed::getProgramId)
                    .containsExactly(PROGRAM));

    // When it replies YES again, then confirms another program by texting its code
    WebhookAnswer again = sandbox.reply(FIRST, from(), "yes");
    assertThat(again.status()).isEqualTo(200);
    assertThat(post("/v1/signups", signup(FIRST, OTHER_PROGRAM)).statusCode()).isEqualTo(202);
    String otherCode = awaitCode(FIRST, 2);
    assertThat(sandbox.reply(FIRST, from(), otherCode).body()).contains("You&apos;re confirmed!");

    // Then the second YES confirmed nothing: the later confirmation of the same phone (same
    // partition, processed
    // after it) is committed, and the first program still has exactly one
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(confirmationsOf(FIRST))
                    .extracting(SubscriberConfirmed::getProgramId)
                    .containsExactly(PROGRAM, OTHER_PROGRAM));

    // When a forged inbound webhook arrives (signed with another token)
    HttpResponse<String> forged =
        postForm(
            optin.inboundWebhookUrl(),
            "MessageSid=SMforged0001&From=%2B14155550124" + "&To=%2B15005550006&Body=YES",
            "bm90LWEtc2lnbmF0dXJl");

    // Then it is refused and nothing is published
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(committed().records(Topics.SMS_INBOUND))
        .extracting(r -> r.value().getMessageSid())
        .hasSize(3)
        .doesNotContain("SMforged0001");

    // When a second subscriber types the code on the site
    assertThat(post("/v1/signups", signup(SECOND, PROGRAM)).statusCode()).isEqualTo(202);
    String secondCode = awaitCode(SECOND, 1);
    HttpResponse<String> verified =
        post(
            "/v1/verifications",
            "{\"phone\":\""
                + SECOND
                + "\",\"programId\":\""
                + PROGRAM
                + "\",\"code\":\""
                + secondCode
                + "\"}");

    // Then it is confirmed, and says so when asked
    assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(get("/v1/subscribers/" + SECOND).body())
                    .contains("\"status\":\"CONFIRMED\""));
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(get("/openapi.json").statusCode()).isEqualTo(200);
    PrometheusText scrape = PrometheusText.parse(get("/metrics").body());
    for (String method : List.of("reply_yes", "reply_code", "code_entry")) {
      assertThat(scrape.sum("optin_confirmations_total", Map.of("method", method)))
          .as(method)
          .isEqualTo(1);
      // each confirmation timed from its answer's reception
      assertThat(scrape.sum("optin_reply_to_confirmed_seconds_count", Map.of("method", method)))
          .as(method)
          .isEqualTo(1);
    }
    assertThat(scrape.sum("optin_webhooks_forged_total", Map.of("webhook", "inbound")))
        .isEqualTo(1);
    assertThat(scrape.sum("optin_signups_total", Map.of("outcome", "accepted", "status", "202")))
        .isEqualTo(3);
    assertThat(scrape.sum("optin_signups_accepted_total", Map.of())).isEqualTo(3);
    // every code's way from its signup to the provider is timed, and the clients are bound
    assertThat(scrape.sum("optin_signup_to_sms_seconds_count", Map.of()))
        .isEqualTo(scrape.sum("optin_sms_sent_total", Map.of("kind", "CONFIRMATION_CODE")))
        .isPositive();
    assertThat(scrape.sampleNames())
        .contains(
            "kafka_consumer_fetch_manager_records_lag_max",
            "kafka_stream_thread_commit_latency_avg",
            "optin_challenge_phones_approx",
            "jvm_memory_used_bytes");

    // And the consent ledger holds every step of the first phone, keyed without the number
    String subject = optin.subjectKeys().keyFor(FIRST);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(
                        committed().records(Topics.CONSENT_AUDIT).stream()
                            .filter(r -> r.key().equals(subject))
                            .map(r -> r.value().getEventType())
                            .toList())
                    .contains(
                        ConsentEventType.REQUESTED,
                        ConsentEventType.SENT,
                        ConsentEventType.DELIVERED,
                        ConsentEventType.REPLY_RECEIVED,
                        ConsentEventType.CONFIRMED));
    // (checkpoint records have no subject and no key; personal data and message texts are sealed)
    assertThat(committed().records(Topics.CONSENT_AUDIT))
        .allSatisfy(
            record -> {
              if (record.key() != null) {
                assertThat(record.key()).matches("[0-9a-f]{64}");
              }
              assertThat(record.value().toString())
                  .doesNotContain("4155550123", "4155550124", code, otherCode, secondCode);
            });

    // And the proof of consent of the first phone is served from the ledger, its chain intact,
    // outcome confirmed
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              HttpResponse<String> proof = get("/v1/consent/" + FIRST);
              assertThat(proof.statusCode()).as(proof.body()).isEqualTo(200);
              assertThat(proof.body())
                  .contains(
                      "\"phone\":\"" + FIRST + "\"",
                      "\"intact\":true",
                      "\"programId\":\"" + PROGRAM + "\",\"status\":\"CONFIRMED\"",
                      "\"type\":\"REQUESTED\"",
                      "\"type\":\"CONFIRMED\"")
                  .doesNotContain(code);
            });

    // When three phones of another prefix get codes and none confirms (the first prefix, +141555,
    // confirmed all 3)
    for (String phone : List.of("+12125550100", "+12125550101", "+12125550102")) {
      assertThat(post("/v1/signups", signup(phone, PROGRAM)).statusCode()).isEqualTo(202);
    }

    // Then the ingest service, following the status topic, blocks that prefix and lists it, and
    // refuses its signups
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(get("/v1/limits/blocked").body())
                    .startsWith("[{\"prefix\":\"+121255\",\"until\":"));
    HttpResponse<String> pumped = post("/v1/signups", signup("+12125550103", PROGRAM));
    assertThat(pumped.statusCode()).isEqualTo(429);
    assertThat(pumped.body())
        .contains("number prefix blocked: low confirmation rate (possible SMS pumping)");
    assertThat(post("/v1/signups", signup("+13105550100", PROGRAM)).statusCode()).isEqualTo(202);
    PrometheusText afterPumping = PrometheusText.parse(get("/metrics").body());
    assertThat(afterPumping.sum("optin_prefix_blocks_total", Map.of())).isEqualTo(1);
    assertThat(
            afterPumping.sum("optin_velocity_limit_trips_total", Map.of("limit", "blocked_prefix")))
        .isEqualTo(1);
  }

  private String from() {
    return optin.fromNumber().orElseThrow();
  }

  /**
   * The code of the {@code nth} SMS sent to the phone through the API (not a TwiML answer), once it
   * arrived.
   */
  private String awaitCode(String phone, int nth) {
    return SandboxFlow.awaitCode(sandbox, phone, nth);
  }

  private List<SandboxMessage> sentThroughTheApi(String phone) {
    return SandboxFlow.sentThroughTheApi(sandbox, phone);
  }

  private List<SubscriberConfirmed> confirmationsOf(String phone) {
    return committed().records(Topics.CONFIRMED_SUBSCRIBERS).stream()
        .map(ConsumerRecord::value)
        .filter(confirmed -> confirmed.getPhone().equals(phone))
        .toList();
  }

  /**
   * The topics read by a plain consumer configured as a data team would: {@code read_committed},
   * optin's Avro deserializer on the registry's URL.
   */
  private CommittedRecords committed() {
    return new CommittedRecords(optin.bootstrapServers(), optin.registryUrl());
  }

  private static String signup(String phone, String program) {
    return SandboxFlow.webSignup(phone, program);
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        SandboxFlow.jsonPost(optin.gatewayUrl(), path, json), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postForm(URI url, String form, String signature) throws Exception {
    return http.send(
        HttpRequest.newBuilder(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Twilio-Signature", signature)
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(optin.gatewayUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
