package io.optin.replies.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.optin.domain.status.SubscriptionStatus;
import io.optin.kit.http.HttpRoute;
import io.optin.kit.http.PeerClient;
import io.optin.kit.streams.KeyOwners;
import io.optin.kit.testing.LocalHttpServer;
import io.optin.replies.lookup.LookupUnavailableException;
import io.optin.replies.lookup.RoutedLookups;
import io.optin.replies.matching.ProgramStatus;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET /v1/subscribers/{phone} over real HTTP, on a fake status lookup. */
class SubscriberQueryHandlerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant UPDATED = Instant.parse("2025-03-01T10:05:00Z");
  private static final Map<String, Map<String, ProgramStatus>> KNOWN =
      Map.of(
          "+14155550100",
          Map.of(
              "spring-sale",
                  new ProgramStatus(
                      SubscriptionStatus.CONFIRMED,
                      "ch-1",
                      "confirmed by reply YES",
                      UPDATED.toEpochMilli()),
              "newsletter",
                  new ProgramStatus(
                      SubscriptionStatus.OPTED_OUT,
                      "ch-2",
                      "opted out by STOP",
                      UPDATED.toEpochMilli())));

  private LocalHttpServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  private void serve(io.optin.replies.lookup.StatusLookup lookup) throws Exception {
    server =
        new LocalHttpServer(
            List.of(
                new HttpRoute(SubscriberQueryHandler.PATH, new SubscriberQueryHandler(lookup))));
  }

  @Test
  void shouldAnswerThePhonesStatusForOneProgram() throws Exception {
    serve(phone -> KNOWN.getOrDefault(phone, Map.of()));

    HttpResponse<String> response = get("/v1/subscribers/%2B14155550100?programId=spring-sale");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"phone\":\"+14155550100\","
                    + "\"programId\":\"spring-sale\",\"status\":\"CONFIRMED\",\"challengeId\":\"ch-1\","
                    + "\"reason\":\"confirmed by reply YES\",\"updatedAt\":\"2025-03-01T10:05:00Z\"}"));
  }

  @Test
  void shouldAnswerEveryProgramWhenNoneIsGiven() throws Exception {
    serve(phone -> KNOWN.getOrDefault(phone, Map.of()));

    HttpResponse<String> response = get("/v1/subscribers/%2B14155550100");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("programs").findValuesAsText("status"))
        .containsExactlyInAnyOrder("CONFIRMED", "OPTED_OUT");
  }

  @Test
  void shouldAnswer404ForAnUnknownPhoneOrProgram() throws Exception {
    serve(phone -> KNOWN.getOrDefault(phone, Map.of()));

    assertThat(get("/v1/subscribers/%2B14155550199?programId=spring-sale").statusCode())
        .isEqualTo(404);
    assertThat(get("/v1/subscribers/%2B14155550100?programId=unknown").statusCode()).isEqualTo(404);
    assertThat(get("/v1/subscribers/%2B14155550199").statusCode()).isEqualTo(404);
  }

  @Test
  void shouldRefuseAPhoneThatIsNotE164() throws Exception {
    serve(phone -> KNOWN.getOrDefault(phone, Map.of()));

    HttpResponse<String> response = get("/v1/subscribers/0612345678");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo("phone");
  }

  @Test
  void shouldAnswer503WhileTheStoreIsUnavailable() throws Exception {
    serve(
        phone -> {
          throw new LookupUnavailableException("rebalancing", null);
        });

    HttpResponse<String> response = get("/v1/subscribers/%2B14155550100");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).contains("1");
  }

  @Test
  void shouldAnswer503WithRetryAfterNeverNotFoundWhileNoInstanceOwnsThePhone() throws Exception {
    // Given a rebalance: no owner known for any phone
    serve(
        new RoutedLookups(
            new KeyOwners(
                (store, key) -> KeyQueryMetadata.NOT_AVAILABLE, new HostInfo("127.0.0.1", 1)),
            null,
            null,
            new PeerClient(Optional.empty(), "http://127.0.0.1:1", Duration.ofSeconds(1), 1),
            null,
            Duration.ofSeconds(1)));

    // When
    HttpResponse<String> response = get("/v1/subscribers/%2B14155550100");

    // Then
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).contains("1");
    assertThat(response.body())
        .isEqualTo("{\"error\":\"statuses are not available yet; retry shortly\"}");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return server.send(HttpRequest.newBuilder(server.uri(path)).GET().build());
  }
}
