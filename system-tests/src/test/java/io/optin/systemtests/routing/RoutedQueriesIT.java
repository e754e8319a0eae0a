package io.optin.systemtests.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optin.devkit.DevSettings;
import io.optin.devkit.EmbeddedOptin;
import io.optin.devkit.sandbox.TwilioSignature;
import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SharedSettings;
import io.optin.kit.http.ContractCheckedHttpClient;
import io.optin.kit.http.HttpGateway;
import io.optin.kit.metrics.Metrics;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.replies.parse.TwimlResponses;
import io.optin.replies.webhook.ReplyTexts;
import io.optin.server.stack.OptinServices;
import io.optin.server.stack.ServiceName;
import io.optin.systemtests.SandboxFlow;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two reply-processor (and audit) instances on one broker, each owning part of the phones'
 * partitions: every webhook and code entry sent to the instance that does NOT own the phone is
 * answered with its outcome, and both instances answer the same subscriber status and consent proof
 * for every phone. Prints what a forwarded answer costs beside a local one.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RoutedQueriesIT {

  private static final String TOKEN = "routing-test-token";
  private static final String PROGRAM = "acme-deals";
  private static final int PHONES = 24;
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;
  @TempDir Path secondStateDir;
  @TempDir Path configDir;

  // Every answer is checked against docs/openapi.yaml: the document cannot drift from the services.
  private final ContractCheckedHttpClient http = ContractCheckedHttpClient.newClient();
  private EmbeddedOptin first;
  private HttpGateway secondGateway;
  private OptinServices second;

  @BeforeEach
  void startTwoInstances() throws Exception {
    // The first instance: the whole product as optin dev runs it, with API tokens; a stopped
    // instance's partitions move after 6 s rather than the default 45 s
    Path config =
        Files.writeString(
            configDir.resolve("optin.properties"),
            "kafka.session.timeout.ms=6000\nkafka.heartbeat.interval.ms=1000\n");
    first =
        EmbeddedOptin.start(
            Settings.load(
                DevSettings.CATALOGUE,
                Optional.of(config),
                Map.of(
                    "OPTIN_DEV_BROKER_PORT", "0",
                    "OPTIN_DEV_REGISTRY_PORT", "0",
                    "OPTIN_DEV_SANDBOX_PORT", "0",
                    "OPTIN_HTTP_PORT", "0",
                    "OPTIN_DEV_DATA_DIR", dataDir.toString(),
                    "OPTIN_TOPICS_PARTITIONS", "4",
                    "OPTIN_API_TOKENS", TOKEN,
                    "OPTIN_LIMITS_IP_PER_HOUR", "100000")));
    await().atMost(PATIENCE).until(first::isReady);
    // The second: the reply processor and the audit on their own port and state directory, with
    // the same settings otherwise (the same public URL, as behind a load balancer)
    Metrics registry = new Metrics();
    secondGateway = HttpGateway.open("127.0.0.1", 0, 32, List.of(TOKEN), registry);
    second =
        OptinServices.start(
            first
                .settings()
                .with(
                    Map.of(
                        ProcessSettings.STREAMS_STATE_DIR.key(),
                        secondStateDir.toString(),
                        ProcessSettings.HTTP_ADVERTISED_URL.key(),
                        secondGateway.url().toString(),
                        // One archiver per archive directory: the second keeps its own.
                        "audit.archive.dir",
                        secondStateDir.resolve("archive").toString()),
                    "second instance"),
            EnumSet.of(ServiceName.REPLIES, ServiceName.AUDIT),
            OptinMetrics.on(registry));
    secondGateway.mount(second.services());
    await().atMost(PATIENCE).until(() -> second.notReady().isEmpty() && first.isReady());
  }

  @AfterEach
  void stopEverything() {
    System.out.printf(
        "%s: %d answers validated against docs/openapi.yaml%n",
        "RoutedQueriesIT", http.validated());
    if (secondGateway != null) {
      secondGateway.close();
    }
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  @Test
  void shouldAnswerEveryPhoneRightWhicheverInstanceReceivesTheRequest() throws Exception {
    List<URI> instances = List.of(first.gatewayUrl(), secondGateway.url());
    List<String> phones =
        IntStream.range(0, PHONES).mapToObj(i -> String.format("+1415555%04d", 200 + i)).toList();

    // Given each phone owned by exactly one instance, and each instance owning some phones
    Map<String, Integer> owners = new LinkedHashMap<>();
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              owners.clear();
              for (String phone : phones) {
                owners.put(phone, ownerOf(phone, instances));
              }
              assertThat(owners.values()).contains(0, 1).doesNotContain(-1);
            });

    // And a signup, then its code SMS, for every phone
    for (String phone : phones) {
      HttpResponse<String> signup = send(first.gatewayUrl(), "POST", "/v1/signups", signup(phone));
      assertThat(signup.statusCode()).as(signup.body()).isEqualTo(202);
    }
    Map<String, String> codes = new LinkedHashMap<>();
    for (String phone : phones) {
      codes.put(phone, awaitCode(phone));
    }
    String authToken = first.settings().string(SharedSettings.TWILIO_AUTH_TOKEN);
    String from = first.fromNumber().orElseThrow();

    // When a third of the phones reply YES, a third type a wrong code then the right one, each at
    // the instance that does not own the phone; and the last third type the code at the owner
    List<Long> forwardedAnswers = new ArrayList<>();
    List<Long> localAnswers = new ArrayList<>();
    for (int i = 0; i < phones.size(); i++) {
      String phone = phones.get(i);
      int owner = owners.get(phone);
      URI notOwner = instances.get(1 - owner);
      switch (i % 3) {
        case 0 -> {
          long started = System.nanoTime();
          HttpResponse<String> twiml = reply(notOwner, phone, from, "YES", authToken, i);
          forwardedAnswers.add(System.nanoTime() - started);
          // Then the TwiML carries the confirmation decided by the owner
          assertThat(twiml.statusCode()).isEqualTo(200);
          assertThat(twiml.body())
              .as("reply of " + phone)
              .isEqualTo(TwimlResponses.message(ReplyTexts.defaults().confirmed()));
        }
        case 1 -> {
          HttpResponse<String> wrong = verify(notOwner, phone, wrongCode(codes.get(phone)));
          assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(422);
          assertThat(JSON.readTree(wrong.body()))
              .isEqualTo(JSON.readTree("{\"error\":\"wrong code\",\"attemptsLeft\":4}"));
          long started = System.nanoTime();
          HttpResponse<String> right = verify(notOwner, phone, codes.get(phone));
          forwardedAnswers.add(System.nanoTime() - started);
          assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
          assertThat(JSON.readTree(right.body()))
              .isEqualTo(
                  JSON.readTree(
                      "{\"status\":\"confirmed\",\"phone\":\""
                          + phone
                          + "\",\"programId\":\""
                          + PROGRAM
                          + "\"}"));
        }
        default -> {
          long started = System.nanoTime();
          HttpResponse<String> right = verify(instances.get(owner), phone, codes.get(phone));
          localAnswers.add(System.nanoTime() - started);
          assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
        }
      }
    }

    // Then both instances answer the same confirmed status for every phone
    Map<String, String> statuses = new LinkedHashMap<>();
    for (String phone : phones) {
      HttpResponse<String> atFirst = subscriber(instances.get(0), phone);
      HttpResponse<String> atSecond = subscriber(instances.get(1), phone);
      assertThat(atFirst.statusCode()).as(phone + ": " + atFirst.body()).isEqualTo(200);
      assertThat(atSecond.statusCode()).as(phone + ": " + atSecond.body()).isEqualTo(200);
      assertThat(atSecond.body()).isEqualTo(atFirst.body());
      statuses.put(phone, atFirst.body());
      JsonNode status = JSON.readTree(atFirst.body()).get("programs").get(0);
      assertThat(status.get("status").asText()).isEqualTo("CONFIRMED");
      assertThat(status.get("reason").asText())
          .isEqualTo(
              i(phones, phone) % 3 == 0 ? "confirmed by reply YES" : "confirmed by code entry");
    }

    // And the same consent proof, once the ledger holds the confirmation (a sample: each export
    // reads the phone's ledger partition from the start, about a second apiece)
    for (String phone : phones.subList(0, 4)) {
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () -> {
                JsonNode atFirst = consent(instances.get(0), phone);
                JsonNode atSecond = consent(instances.get(1), phone);
                assertThat(atSecond).isEqualTo(atFirst);
                assertThat(atFirst.get("outcomes").get(0).get("status").asText())
                    .isEqualTo("CONFIRMED");
              });
    }

    // And under a burst of reads at both instances at once, half of them forwarded each way, every
    // one is answered right: two instances asking each other hold no thread of the other
    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    List<String> burstPhones = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      for (String phone : phones) {
        for (URI instance : instances) {
          burstPhones.add(phone);
          burst.add(
              http.sendAsync(
                  HttpRequest.newBuilder(instance.resolve("/v1/subscribers/" + encode(phone)))
                      .header("Authorization", "Bearer " + TOKEN)
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  HttpResponse.BodyHandlers.ofString()));
        }
      }
    }
    for (int n = 0; n < burst.size(); n++) {
      HttpResponse<String> answer = burst.get(n).get(60, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo(statuses.get(burstPhones.get(n)));
    }

    // And a forwarded status costs one hop more than a local one
    List<Long> localReads = new ArrayList<>();
    List<Long> forwardedReads = new ArrayList<>();
    for (int round = 0; round < 10; round++) {
      for (String phone : phones) {
        int owner = owners.get(phone);
        long started = System.nanoTime();
        assertThat(subscriber(instances.get(owner), phone).statusCode()).isEqualTo(200);
        localReads.add(System.nanoTime() - started);
        started = System.nanoTime();
        assertThat(subscriber(instances.get(1 - owner), phone).statusCode()).isEqualTo(200);
        forwardedReads.add(System.nanoTime() - started);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "[routing] GET /v1/subscribers/{phone}: local p50 %s p99 %s, forwarded p50 %s p99 %s"
            + " (%d each)%n",
        percentile(localReads, 50),
        percentile(localReads, 99),
        percentile(forwardedReads, 50),
        percentile(forwardedReads, 99),
        localReads.size());
    System.out.printf(
        Locale.ROOT,
        "[routing] answer with its outcome (code entry at the owner) p50 %s p99 %s (%d);"
            + " (YES or code at the other instance) p50 %s p99 %s (%d)%n",
        percentile(localAnswers, 50),
        percentile(localAnswers, 99),
        localAnswers.size(),
        percentile(forwardedAnswers, 50),
        percentile(forwardedAnswers, 99),
        forwardedAnswers.size());

    // When the second instance stops: its phones are owned by no live instance until the first
    // takes its partitions over
    secondGateway.close();
    second.close();
    secondGateway = null;
    second = null;
    long stopped = System.nanoTime();

    // Then the first answers each phone its status or 503 with Retry-After, never 404
    Map<Integer, Integer> answers = new TreeMap<>();
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              boolean all = true;
              for (String phone : phones) {
                HttpResponse<String> answer = subscriber(instances.get(0), phone);
                answers.merge(answer.statusCode(), 1, Integer::sum);
                if (answer.statusCode() == 200) {
                  assertThat(answer.body()).isEqualTo(statuses.get(phone));
                } else {
                  assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                  assertThat(answer.headers().firstValue("Retry-After")).contains("1");
                  all = false;
                }
              }
              return all;
            });
    System.out.printf(
        Locale.ROOT,
        "[routing] second instance stopped: every phone answered by the first after %.1f s;"
            + " answers meanwhile by status %s%n",
        (System.nanoTime() - stopped) / 1e9,
        answers);
  }

  /** The instance answering the internal status route for the phone (its owner), or -1. */
  private int ownerOf(String phone, List<URI> instances) throws Exception {
    int owner = -1;
    for (int i = 0; i < instances.size(); i++) {
      HttpResponse<String> answer =
          send(instances.get(i), "GET", "/internal/v1/statuses/" + encode(phone), null);
      if (answer.statusCode() == 200) {
        if (owner >= 0) {
          return -1;
        }
        owner = i;
      } else {
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).contains("1");
      }
    }
    return owner;
  }

  private String awaitCode(String phone) {
    return SandboxFlow.awaitCode(first.sandbox().orElseThrow(), phone, 1);
  }

  private static String wrongCode(String code) {
    return code.equals("000000") ? "111111" : "000000";
  }

  private HttpResponse<String> reply(
      URI instance, String phone, String to, String body, String authToken, int n)
      throws Exception {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("MessageSid", String.format("SM%032d", n));
    form.put("From", phone);
    form.put("To", to);
    form.put("Body", body);
    // Signed for the public URL Twilio calls, whichever instance the load balancer picks.
    String signature = TwilioSignature.sign(authToken, first.inboundWebhookUrl().toString(), form);
    String encoded =
        form.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return http.send(
        HttpRequest.newBuilder(instance.resolve("/webhooks/twilio/inbound"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header(TwilioSignature.HEADER, signature)
            .POST(HttpRequest.BodyPublishers.ofString(encoded))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> verify(URI instance, String phone, String code) throws Exception {
    return send(
        instance,
        "POST",
        "/v1/verifications",
        "{\"phone\":\""
            + phone
            + "\",\"programId\":\""
            + PROGRAM
            + "\",\"code\":\""
            + code
            + "\"}");
  }

  private HttpResponse<String> subscriber(URI instance, String phone) throws Exception {
    return send(instance, "GET", "/v1/subscribers/" + encode(phone), null);
  }

  private JsonNode consent(URI instance, String phone) throws Exception {
    HttpResponse<String> answer = send(instance, "GET", "/v1/consent/" + encode(phone), null);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    ObjectNode proof = (ObjectNode) JSON.readTree(answer.body());
    // The time of the export is the one thing two reads of the same ledger differ by.
    proof.remove("exportedAt");
    return proof;
  }

  private HttpResponse<String> send(URI instance, String method, String path, String json)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(instance.resolve(path))
            .header("Authorization", "Bearer " + TOKEN)
            .timeout(Duration.ofSeconds(30));
    if (json == null) {
      request.GET();
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String signup(String phone) {
    return SandboxFlow.webSignup(phone, PROGRAM);
  }

  private static int i(List<String> phones, String phone) {
    return phones.indexOf(phone);
  }

  private static String percentile(List<Long> nanos, int percentile) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    long value =
        sorted.get(
            Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    return String.format(Locale.ROOT, "%.1f ms", value / 1e6);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
