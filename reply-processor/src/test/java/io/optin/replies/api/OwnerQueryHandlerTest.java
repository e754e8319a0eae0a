package io.optin.replies.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.kit.http.HttpRoute;
import io.optin.kit.streams.KeyOwners;
import io.optin.kit.testing.LocalHttpServer;
import io.optin.replies.lookup.OutcomeLookup;
import io.optin.replies.lookup.OutcomeWait;
import io.optin.replies.lookup.RoutedLookups;
import io.optin.replies.matching.Outcome;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The internal routes another instance asks: answered only by the phone's owner, from its own
 * stores, never forwarded again.
 */
class OwnerQueryHandlerTest {

  private static final HostInfo SELF = new HostInfo("replies-1.internal", 8080);
  private static final HostInfo OTHER = new HostInfo("replies-2.internal", 8080);

  private final AtomicReference<KeyQueryMetadata> metadata =
      new AtomicReference<>(new KeyQueryMetadata(SELF, Set.of(), 0));
  private final Map<String, Outcome> decided = Map.of("SM1", Outcome.wrongCode(3));
  private LocalHttpServer server;

  @BeforeEach
  void start() throws Exception {
    OwnerQueryHandler handler =
        new OwnerQueryHandler(
            new KeyOwners((store, key) -> metadata.get(), SELF),
            // The status store is not read in these tests: no local Kafka Streams.
            null,
            new OutcomeWait(
                new OutcomeLookup() {
                  @Override
                  public Optional<Outcome> outcome(String id) {
                    return Optional.ofNullable(decided.get(id));
                  }

                  @Override
                  public Optional<Outcome> settledCode(
                      String phone, String programId, String codeHash) {
                    return phone.equals("+14155550100")
                            && programId.equals("spring-sale")
                            && codeHash.equals("c0ffee")
                        ? Optional.of(Outcome.ALREADY_CONFIRMED)
                        : Optional.empty();
                  }
                },
                Duration.ofMillis(200),
                null,
                4),
            null,
            Duration.ofMillis(200));
    server =
        new LocalHttpServer(
            List.of(
                new HttpRoute(RoutedLookups.OUTCOMES_PATH, handler),
                new HttpRoute(RoutedLookups.STATUSES_PATH, handler)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void shouldAnswerTheOutcomeItDecidedAsText() throws Exception {
    HttpResponse<String> answer =
        get("/internal/v1/outcomes/SM1?phone=%2B14155550100&waitMillis=100");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("WRONG_CODE:3");
  }

  @Test
  void shouldAnswerNoContentWhenNothingIsDecidedWithinTheWait() throws Exception {
    HttpResponse<String> answer =
        get("/internal/v1/outcomes/SM2?phone=%2B14155550100&waitMillis=60000");

    assertThat(answer.statusCode()).isEqualTo(204);
    assertThat(answer.body()).isEmpty();
  }

  @Test
  void shouldEndACodeAttemptsWaitWithItsSettledCode() throws Exception {
    // Given an attempt the topology has not decided, whose code is settled
    // When the asking instance sends the attempt's code, and then does not
    HttpResponse<String> withCode =
        get(
            "/internal/v1/outcomes/attempt-9?phone=%2B14155550100&waitMillis=60000"
                + "&programId=spring-sale&codeHash=c0ffee");
    HttpResponse<String> otherCode =
        get(
            "/internal/v1/outcomes/attempt-9?phone=%2B14155550100&waitMillis=100"
                + "&programId=spring-sale&codeHash=0ther");
    HttpResponse<String> withoutCode =
        get("/internal/v1/outcomes/attempt-9?phone=%2B14155550100&waitMillis=100");

    // Then only the attempt with its settled code is answered, already confirmed
    assertThat(withCode.statusCode()).isEqualTo(200);
    assertThat(withCode.body()).isEqualTo("ALREADY_CONFIRMED");
    assertThat(otherCode.statusCode()).isEqualTo(204);
    assertThat(withoutCode.statusCode()).isEqualTo(204);
  }

  @Test
  void shouldNeverAnswerNorForwardForAPhoneItDoesNotOwn() throws Exception {
    for (KeyQueryMetadata notHere :
        List.of(new KeyQueryMetadata(OTHER, Set.of(SELF), 1), KeyQueryMetadata.NOT_AVAILABLE)) {
      metadata.set(notHere);
      for (String path :
          List.of(
              "/internal/v1/outcomes/SM1?phone=%2B14155550100&waitMillis=100",
              "/internal/v1/statuses/%2B14155550100")) {
        HttpResponse<String> answer = get(path);

        assertThat(answer.statusCode()).as(path).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).contains("1");
        assertThat(answer.body())
            .isEqualTo("{\"error\":\"this instance does not own the phone now\"}");
      }
    }
  }

  @Test
  void shouldRefuseAMalformedQuestion() throws Exception {
    assertThat(get("/internal/v1/outcomes/SM1?phone=0612345678").statusCode()).isEqualTo(400);
    assertThat(get("/internal/v1/outcomes/SM%2F1?phone=%2B14155550100").statusCode())
        .isEqualTo(400);
    assertThat(get("/internal/v1/outcomes/SM1?phone=%2B14155550100&waitMillis=soon").statusCode())
        .isEqualTo(400);
    assertThat(get("/internal/v1/statuses/14155550100").statusCode()).isEqualTo(400);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return server.send(HttpRequest.newBuilder(server.uri(path)).GET().build());
  }
}
