package io.optin.replies.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import io.optin.domain.status.SubscriptionStatus;
import io.optin.kit.http.HttpExchanges;
import io.optin.kit.http.HttpRoute;
import io.optin.kit.http.PeerClient;
import io.optin.kit.streams.KeyOwners;
import io.optin.kit.testing.LocalHttpServer;
import io.optin.replies.matching.Outcome;
import io.optin.replies.matching.ProgramStatus;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Outcomes and statuses asked of the phone's owner: another instance over HTTP (here a fake owner
 * on a local port), or none known, which is never answered as an unknown phone.
 */
class RoutedLookupsTest {

  private static final String PHONE = "+14155550100";
  private static final HostInfo SELF = new HostInfo("127.0.0.1", 1);
  private static final ProgramStatus CONFIRMED =
      new ProgramStatus(SubscriptionStatus.CONFIRMED, "challenge-1", "confirmed by YES", 1_000L);

  private final AtomicReference<KeyQueryMetadata> metadata =
      new AtomicReference<>(KeyQueryMetadata.NOT_AVAILABLE);
  private final ConcurrentLinkedQueue<String> asked = new ConcurrentLinkedQueue<>();
  private final PeerClient peers =
      new PeerClient(Optional.of("peer-token"), "http://127.0.0.1:1", Duration.ofSeconds(1), 4);
  private LocalHttpServer owner;

  @AfterEach
  void stop() {
    if (owner != null) {
      owner.close();
    }
  }

  @Test
  void shouldReadTheStatusesFromTheOwnerWhenAnotherInstanceOwnsThePhone() throws Exception {
    // Given another instance owning the phone and holding its status
    startOwner(
        exchange ->
            HttpExchanges.send(
                exchange,
                200,
                "application/json",
                RoutedLookups.statusesJson(Map.of("spring-sale", CONFIRMED))));
    ownedByTheFakeOwner();

    // When
    Map<String, ProgramStatus> statuses = lookups(Duration.ofSeconds(1)).statuses(PHONE);

    // Then
    assertThat(statuses).isEqualTo(Map.of("spring-sale", CONFIRMED));
    assertThat(asked).containsExactly("/internal/v1/statuses/+14155550100 Bearer peer-token");
  }

  @Test
  void shouldNeverAnswerAnUnknownPhoneWhileNoOwnerIsKnown() {
    // Given a rebalance: no metadata
    metadata.set(KeyQueryMetadata.NOT_AVAILABLE);

    // Then the lookup is unavailable (503), not empty (404)
    assertThatThrownBy(() -> lookups(Duration.ofSeconds(1)).statuses(PHONE))
        .isInstanceOf(LookupUnavailableException.class)
        .hasMessage("no owner known for the phone's partition");
  }

  @Test
  void shouldBeUnavailableWhenTheOwnerCannotBeReachedOrAnswersAnError() throws Exception {
    // Given an owner that no longer owns the phone (its partition moved)
    startOwner(exchange -> HttpExchanges.sendUnavailable(exchange, 1, "not the owner"));
    ownedByTheFakeOwner();

    // Then
    assertThatThrownBy(() -> lookups(Duration.ofSeconds(1)).statuses(PHONE))
        .isInstanceOf(LookupUnavailableException.class)
        .hasMessage("owner answered 503");

    // And given an owner that is gone
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    metadata.set(new KeyQueryMetadata(new HostInfo("127.0.0.1", closedPort), Set.of(), 0));
    assertThatThrownBy(() -> lookups(Duration.ofSeconds(1)).statuses(PHONE))
        .isInstanceOf(LookupUnavailableException.class)
        .hasMessageStartingWith("owner not reached: ");
  }

  @Test
  void shouldLongPollTheOwnerForAnOutcome() throws Exception {
    // Given an owner that decided the answer
    startOwner(
        exchange ->
            HttpExchanges.send(
                exchange,
                200,
                "text/plain",
                Outcome.wrongCode(2).text().getBytes(StandardCharsets.UTF_8)));
    ownedByTheFakeOwner();

    // When
    Optional<Outcome> outcome = lookups(Duration.ofSeconds(3)).await(PHONE, "SM123");

    // Then the owner was asked for that answer of that phone, with the time left to wait
    assertThat(outcome).contains(Outcome.wrongCode(2));
    assertThat(asked).hasSize(1);
    assertThat(asked.peek())
        .matches(
            "/internal/v1/outcomes/SM123\\?phone=%2B14155550100&waitMillis=(29|30)[0-9]{2}"
                + " Bearer peer-token");
  }

  @Test
  void shouldAskTheOwnerWhetherACodeIsSettledAndTakeNoneFromAnOwnerThatNoLongerOwnsThePhone()
      throws Exception {
    // Given an owner whose challenges hold the code's challenge confirmed
    AtomicReference<Boolean> stillOwner = new AtomicReference<>(true);
    startOwner(
        exchange -> {
          if (stillOwner.get()) {
            HttpExchanges.send(
                exchange,
                200,
                "text/plain",
                Outcome.ALREADY_CONFIRMED.text().getBytes(StandardCharsets.UTF_8));
          } else {
            HttpExchanges.sendUnavailable(exchange, 1, "this instance does not own the phone now");
          }
        });
    ownedByTheFakeOwner();
    RoutedLookups lookups = lookups(Duration.ofSeconds(1));

    // When asked, then after the partition moved away from it
    Optional<Outcome> settled = lookups.settledCode(PHONE, "spring-sale", "c0ffee");
    stillOwner.set(false);
    Optional<Outcome> moved = lookups.settledCode(PHONE, "spring-sale", "c0ffee");

    // Then the owner's answer is taken once, and a 503 is no answer (the topology decides)
    assertThat(settled).contains(Outcome.ALREADY_CONFIRMED);
    assertThat(moved).isEmpty();
    assertThat(asked)
        .containsExactly(
            "/internal/v1/settled-codes/+14155550100?programId=spring-sale&codeHash=c0ffee"
                + " Bearer peer-token",
            "/internal/v1/settled-codes/+14155550100?programId=spring-sale&codeHash=c0ffee"
                + " Bearer peer-token");
  }

  @Test
  void shouldTellNoSettledCodeWhileNoOwnerIsKnown() {
    metadata.set(KeyQueryMetadata.NOT_AVAILABLE);

    assertThat(lookups(Duration.ofMillis(300)).settledCode(PHONE, "spring-sale", "c0ffee"))
        .isEmpty();
    assertThat(asked).isEmpty();
  }

  @Test
  void shouldSendTheAttemptsCodeWithTheLongPollSoTheOwnerEndsItWhenTheCodeIsSettled()
      throws Exception {
    // Given an owner that finds the attempt's code settled during its wait
    startOwner(
        exchange ->
            HttpExchanges.send(
                exchange,
                200,
                "text/plain",
                Outcome.ALREADY_CONFIRMED.text().getBytes(StandardCharsets.UTF_8)));
    ownedByTheFakeOwner();

    // When
    Optional<Outcome> outcome =
        lookups(Duration.ofSeconds(3)).awaitCode(PHONE, "attempt-1", "spring-sale", "c0/fe+e");

    // Then one long poll carried the code, and nothing else was asked
    assertThat(outcome).contains(Outcome.ALREADY_CONFIRMED);
    assertThat(asked).hasSize(1);
    assertThat(asked.peek())
        .matches(
            "/internal/v1/outcomes/attempt-1\\?phone=%2B14155550100&waitMillis=(29|30)[0-9]{2}"
                + "&programId=spring-sale&codeHash=c0%2Ffe%2Be Bearer peer-token");
  }

  @Test
  void shouldAskTheSettledCodeOnceWhenTheOwnersWaitEndsWithoutAnOutcome() throws Exception {
    // Given an owner that decides nothing in the wait (or an older one that ignores the code)
    startOwner(exchange -> exchange.sendResponseHeaders(204, -1));
    ownedByTheFakeOwner();

    // When
    Optional<Outcome> outcome =
        lookups(Duration.ofSeconds(1)).awaitCode(PHONE, "attempt-1", "spring-sale", "c0ffee");

    // Then the settled code was asked once after the long poll, as before the wait ended early
    assertThat(outcome).isEmpty();
    assertThat(asked)
        .hasSize(2)
        .last()
        .isEqualTo(
            "/internal/v1/settled-codes/+14155550100?programId=spring-sale&codeHash=c0ffee"
                + " Bearer peer-token");
  }

  @Test
  void shouldAnswerNoOutcomeWhenTheOwnerDecidedNoneInTheWait() throws Exception {
    startOwner(exchange -> exchange.sendResponseHeaders(204, -1));
    ownedByTheFakeOwner();

    assertThat(lookups(Duration.ofSeconds(1)).await(PHONE, "SM123")).isEmpty();
    assertThat(asked).hasSize(1);
  }

  @Test
  void shouldSeekTheOwnerAgainUntilTheWaitEndsWhileNoneIsKnown() throws Exception {
    // Given an owner known only after a while (a rebalance ending)
    startOwner(
        exchange ->
            HttpExchanges.send(
                exchange,
                200,
                "text/plain",
                Outcome.CONFIRMED.text().getBytes(StandardCharsets.UTF_8)));
    metadata.set(KeyQueryMetadata.NOT_AVAILABLE);
    ScheduledExecutorService rebalance = Executors.newSingleThreadScheduledExecutor();
    rebalance.schedule(this::ownedByTheFakeOwner, 300, TimeUnit.MILLISECONDS);
    rebalance.shutdown();

    // When
    Optional<Outcome> outcome = lookups(Duration.ofSeconds(3)).await(PHONE, "SM123");

    // Then
    assertThat(outcome).contains(Outcome.CONFIRMED);
    assertThat(lookups(Duration.ofSeconds(3)).ownerKnown(PHONE)).isTrue();
  }

  @Test
  void shouldAnswerNoOutcomeAndNoOwnerWhenNoneIsKnownForTheWholeWait() {
    metadata.set(KeyQueryMetadata.NOT_AVAILABLE);
    RoutedLookups lookups = lookups(Duration.ofMillis(300));

    assertThat(lookups.ownerKnown(PHONE)).isFalse();
    assertThat(lookups.await(PHONE, "SM123")).isEmpty();
  }

  private RoutedLookups lookups(Duration wait) {
    KeyOwners owners = new KeyOwners((store, key) -> metadata.get(), SELF);
    // No local store: the phone is never this instance's in these tests.
    return new RoutedLookups(owners, null, null, peers, null, wait);
  }

  private void startOwner(HttpHandler handler) throws Exception {
    owner =
        new LocalHttpServer(
            List.of(
                new HttpRoute(
                    "/internal/",
                    exchange -> {
                      asked.add(
                          exchange.getRequestURI().getPath()
                              + (exchange.getRequestURI().getRawQuery() == null
                                  ? ""
                                  : "?" + exchange.getRequestURI().getRawQuery())
                              + " "
                              + exchange.getRequestHeaders().getFirst("Authorization"));
                      try (exchange) {
                        handler.handle(exchange);
                      }
                    })));
  }

  private void ownedByTheFakeOwner() {
    URI url = owner.uri("");
    metadata.set(new KeyQueryMetadata(new HostInfo(url.getHost(), url.getPort()), Set.of(), 4));
  }
}
