package io.optin.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.kit.http.PeerClient.PeerUnavailableException;
import io.optin.kit.metrics.Metrics;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Asking a peer instance: token and forwarded mark sent, bounded in time and in number. */
class PeerClientTest {

  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch entered = new CountDownLatch(1);
  private final ExecutorService callers = Executors.newSingleThreadExecutor();
  private HttpGateway gateway;

  @AfterEach
  void close() {
    release.countDown();
    callers.shutdownNow();
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void shouldSendTheTokenAndRelayTheStatusRetryAfterAndBody() throws Exception {
    // Given a peer answering 503 with Retry-After to a request that carries the token
    gateway = HttpGateway.open("127.0.0.1", 0, 16, List.of("peer-token"), new Metrics());
    gateway.mount(
        List.of(
            new HttpRoute(
                "/internal/v1/busy",
                exchange -> HttpExchanges.sendUnavailable(exchange, 2, "not the owner"))),
        List.of());
    PeerClient peer =
        new PeerClient(Optional.of("peer-token"), "http://self:1", Duration.ofSeconds(1), 2);

    // When
    PeerClient.Answer answer = peer.get(gateway.url(), "/internal/v1/busy", Duration.ofSeconds(5));

    // Then
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.retryAfter()).isEqualTo("2");
    assertThat(answer.contentType()).isEqualTo("application/json");
    assertThat(new String(answer.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"error\":\"not the owner\"}");
  }

  @Test
  void shouldGiveUpOnAPeerThatDoesNotAnswerInTime() throws Exception {
    // Given a peer that holds the request
    gateway = holdingPeer();
    PeerClient peer = new PeerClient(Optional.empty(), "http://self:1", Duration.ofSeconds(1), 2);

    // Then
    assertThatThrownBy(() -> peer.get(gateway.url(), "/internal/v1/hold", Duration.ofMillis(200)))
        .isInstanceOfSatisfying(
            PeerUnavailableException.class,
            e -> {
              assertThat(e.busy()).isFalse();
              assertThat(e.getMessage()).endsWith("did not answer within PT0.2S");
            });
  }

  @Test
  void shouldRefuseAtOnceBeyondItsRequestsInFlight() throws Exception {
    // Given one request in flight, the most allowed
    gateway = holdingPeer();
    PeerClient peer = new PeerClient(Optional.empty(), "http://self:1", Duration.ofSeconds(1), 1);
    Future<PeerClient.Answer> held =
        callers.submit(() -> peer.get(gateway.url(), "/internal/v1/hold", Duration.ofSeconds(30)));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    // Then a second is refused without being sent
    assertThatThrownBy(() -> peer.get(gateway.url(), "/internal/v1/hold", Duration.ofSeconds(30)))
        .isInstanceOfSatisfying(PeerUnavailableException.class, e -> assertThat(e.busy()).isTrue());
    release.countDown();
    assertThat(held.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  @Test
  void shouldTellAnUnreachablePeerFromABusyOne() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    PeerClient peer = new PeerClient(Optional.empty(), "http://self:1", Duration.ofSeconds(1), 2);

    assertThatThrownBy(
            () ->
                peer.get(
                    URI.create("http://127.0.0.1:" + closedPort),
                    "/internal/v1/x",
                    Duration.ofSeconds(2)))
        .isInstanceOfSatisfying(
            PeerUnavailableException.class, e -> assertThat(e.busy()).isFalse());
  }

  private HttpGateway holdingPeer() {
    HttpGateway opened = HttpGateway.open("127.0.0.1", 0, 16, List.of(), new Metrics());
    opened.mount(
        List.of(
            new HttpRoute(
                "/internal/v1/hold",
                exchange -> {
                  entered.countDown();
                  try {
                    release.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  HttpExchanges.send(exchange, 200, "text/plain", new byte[] {'o', 'k'});
                })),
        List.of());
    return opened;
  }
}
