package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.optin.avro.SignupRejected;
import io.optin.kit.http.HttpRoute;
import io.optin.kit.kafka.PublishedRecords;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.schemas.Topics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The prefix, country and SMS pumping limits of {@code POST /v1/signups}, and {@code GET
 * /v1/limits/blocked}, over real HTTP (JDK server on an ephemeral port) with the real publisher
 * over a mock producer.
 */
class SignupHandlerLimitsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final String BLOCKED =
      "number prefix blocked: low confirmation rate (possible SMS pumping)";

  private final MutableClock clock = new MutableClock(NOW);
  private final PublishedRecords published = new PublishedRecords();
  private final OptinMetrics metrics = OptinMetrics.unexposed();
  private final HttpClient http = HttpClient.newHttpClient();
  private PumpingGuard guard;
  private HttpServer server;

  private void start(IngestSettings settings) throws IOException {
    guard = new PumpingGuard(settings.pumping(), settings.prefixRule(), clock, metrics);
    SignupIntake intake =
        new SignupIntake(
            settings, published.publisher(), new SubscriberStatusTable(), guard, clock, metrics);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    for (HttpRoute route :
        new HttpRoute[] {
          new SignupHandler(intake).route(), new BlockedPrefixesHandler(guard).route()
        }) {
      server.createContext(route.pathPrefix(), route.handler());
    }
    server.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void shouldAnswer429WhenTheNumberPrefixLimitTripsAcrossPhonesAndIps() throws Exception {
    // Given 2 signups an hour per 6-digit prefix, both taken by two phones from two IPs
    start(TestIngestSettings.with(Map.of("limits.prefix.per.hour", "2")));
    assertThat(signUp("+14155550101", "192.0.2.1").statusCode()).isEqualTo(202);
    assertThat(signUp("+14155550102", "192.0.2.2").statusCode()).isEqualTo(202);

    // When a third phone of +141555 signs up from a third IP
    HttpResponse<String> limited = signUp("+14155550103", "192.0.2.3");

    // Then it is refused 429 naming the limit, with the wait for the next token, recorded and
    // counted
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(json(limited).get("error").asText())
        .isEqualTo("too many signups for this number prefix (at most 2 an hour)");
    assertThat(json(limited).get("field").asText()).isEqualTo("phone");
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("1800");
    assertThat(published.on(Topics.SIGNUP_REJECTS))
        .extracting(SignupRejected::getReason)
        .containsExactly("429 too many signups for this number prefix (at most 2 an hour)");
    assertThat(published.keysOn(Topics.SIGNUP_REJECTS)).containsExactly("+14155550103");
    assertThat(metrics.value("optin_velocity_limit_trips_total", "prefix")).isEqualTo(1);

    // And another prefix still passes
    assertThat(signUp("+12125550100", "192.0.2.4").statusCode()).isEqualTo(202);
    assertThat(published.keysOn(Topics.SIGNUP_REQUESTS))
        .containsExactly("+14155550101", "+14155550102", "+12125550100");
  }

  @Test
  void shouldAnswer429WhenTheCountryLimitTripsAcrossPrefixes() throws Exception {
    // Given 2 signups an hour per country, taken by two US area codes
    start(TestIngestSettings.with(Map.of("limits.country.per.hour", "2")));
    signUp("+14155550100", "192.0.2.1");
    signUp("+12125550100", "192.0.2.2");

    // When a third US number signs up, and a French one
    HttpResponse<String> american = signUp("+13105550100", "192.0.2.3");
    HttpResponse<String> french = signUp("+33612345678", "192.0.2.4");

    // Then the American is refused naming the country limit, the French accepted
    assertThat(american.statusCode()).isEqualTo(429);
    assertThat(json(american).get("error").asText())
        .isEqualTo("too many signups for this country (at most 2 an hour)");
    assertThat(american.headers().firstValue("Retry-After")).hasValue("1800");
    assertThat(french.statusCode()).isEqualTo(202);
    assertThat(metrics.value("optin_velocity_limit_trips_total", "country")).isEqualTo(1);
    assertThat(published.keysOn(Topics.SIGNUP_REJECTS)).containsExactly("+13105550100");
  }

  @Test
  void shouldAnswer429ToABlockedPrefixUntilTheBlockEndsAndListIt() throws Exception {
    // Given no prefix is blocked
    start(TestIngestSettings.with(Map.of("limits.pumping.block", "30m")));
    assertThat(get(BlockedPrefixesHandler.PATH).body()).isEqualTo("[]");

    // When the status topic shows 50 codes sent to +150055 in the last minutes, 4 confirmed (8 %)
    for (int i = 0; i < 50; i++) {
      guard.codeSent("+150055500" + String.format("%02d", i), NOW.minus(Duration.ofMinutes(3)));
      if (i < 4) {
        guard.confirmed("+150055500" + String.format("%02d", i), NOW.minus(Duration.ofMinutes(1)));
      }
    }
    clock.advance(Duration.ofMinutes(10));
    HttpResponse<String> refused = signUp("+15005550006", "192.0.2.1");
    HttpResponse<String> elsewhere = signUp("+14155550100", "192.0.2.2");

    // Then a signup to that prefix is refused 429 until the block ends (20 minutes left), recorded
    // and counted
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(json(refused).get("error").asText()).isEqualTo(BLOCKED);
    assertThat(json(refused).get("field").asText()).isEqualTo("phone");
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1200");
    assertThat(published.on(Topics.SIGNUP_REJECTS))
        .extracting(SignupRejected::getReason)
        .containsExactly("429 " + BLOCKED);
    assertThat(metrics.value("optin_velocity_limit_trips_total", "blocked_prefix")).isEqualTo(1);
    assertThat(metrics.value("optin_prefix_blocks_total")).isEqualTo(1);
    assertThat(elsewhere.statusCode()).isEqualTo(202);

    // And the block is listed with its end and the counts that caused it
    HttpResponse<String> listed = get(BlockedPrefixesHandler.PATH);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(JSON.readTree(listed.body()))
        .isEqualTo(
            JSON.readTree(
                "[{\"prefix\":\"+150055\",\"until\":\"2025-03-01T10:30:00Z\",\"sends\":50,\"confirmed\":4}]"));

    // When the block ends
    clock.advance(Duration.ofMinutes(20));

    // Then the prefix is accepted again and no longer listed
    assertThat(signUp("+15005550006", "192.0.2.1").statusCode()).isEqualTo(202);
    assertThat(get(BlockedPrefixesHandler.PATH).body()).isEqualTo("[]");
  }

  @Test
  void shouldServeTheBlockedListReadOnly() throws Exception {
    start(TestIngestSettings.defaults());

    HttpResponse<String> posted =
        http.send(
            HttpRequest.newBuilder(uri(BlockedPrefixesHandler.PATH))
                .POST(HttpRequest.BodyPublishers.ofString("[]"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> below = get(BlockedPrefixesHandler.PATH + "/+150055");

    assertThat(posted.statusCode()).isEqualTo(405);
    assertThat(posted.headers().firstValue("Allow")).hasValue("GET");
    assertThat(below.statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> signUp(String phone, String ip) throws Exception {
    ObjectNode body =
        JSON.createObjectNode()
            .put("phone", phone)
            .put("programId", "acme-deals")
            .put(
                "consentText",
                "Yes, text me Acme deals. Msg & data rates may apply. Reply STOP to opt out.")
            .put("locale", "en-US");
    body.putObject("source").put("channel", "web_form").put("ip", ip);
    HttpRequest request =
        HttpRequest.newBuilder(uri(SignupHandler.PATH))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }
}
