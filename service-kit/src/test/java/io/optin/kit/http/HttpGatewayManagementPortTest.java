package io.optin.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.kit.health.ServiceHealth;
import io.optin.kit.metrics.Metrics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The management port serves health and metrics alone, under a connection cap of its own: clients
 * holding every connection of the public port cannot keep a probe out. Raw sockets on 127.0.0.1.
 */
class HttpGatewayManagementPortTest {

  private static final int PUBLIC_CONNECTIONS = 20;

  /** Far above the time the test takes: held connections are never closed under it. */
  private static final HttpLimits LIMITS =
      new HttpLimits(4, PUBLIC_CONNECTIONS, Duration.ofMinutes(1), Duration.ofMinutes(1), 65_536);

  private static final String LIVE_BODY =
      "{\"live\":true,\"services\":[{\"name\":\"ingest\",\"live\":true,\"state\":\"RUNNING\"}]}";

  private final Metrics metrics = new Metrics();
  private final List<Socket> sockets = new ArrayList<>();
  private HttpGateway gateway;

  @AfterEach
  void close() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void shouldAnswerHealthOnTheManagementPortWhileThePublicPortIsFull() throws Exception {
    // Given a public port capped at 20 connections, and a management port
    open(OptionalInt.of(0));
    int management = gateway.managementPort().orElseThrow();
    assertThat(management).isNotEqualTo(gateway.port()).isPositive();

    // And 20 clients holding the public port's connections, each accepted (it was answered)
    List<Socket> held = new ArrayList<>();
    for (int i = 0; i < PUBLIC_CONNECTIONS; i++) {
      Socket socket = connect(gateway.port());
      send(socket, "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(RawAnswer.read(socket).status()).isEqualTo(200);
      held.add(socket);
    }
    // And 5 more that connect and send nothing
    for (int i = 0; i < 5; i++) {
      connect(gateway.port());
    }

    // When a probe asks the public port, then the management port
    Socket publicProbe = connect(gateway.port());
    send(publicProbe, get("/health/live"));
    Socket managementProbe = connect(management);
    send(managementProbe, get("/health/live"));

    // Then the management port answers
    assertThat(RawAnswer.read(managementProbe)).isEqualTo(new RawAnswer(200, LIVE_BODY));
    // And the public port does not serve the new connection (it waits in the accept backlog;
    // the timeout only bounds the wait)
    publicProbe.setSoTimeout(1_000);
    assertThatThrownBy(() -> publicProbe.getInputStream().read())
        .isInstanceOf(SocketTimeoutException.class);

    // And once the held connections go, the waiting probe is served, not dropped
    for (Socket socket : held) {
      socket.close();
    }
    publicProbe.setSoTimeout(10_000);
    assertThat(RawAnswer.read(publicProbe)).isEqualTo(new RawAnswer(200, LIVE_BODY));
  }

  @Test
  void shouldServeOnlyHealthAndMetricsOnTheManagementPort() throws Exception {
    // Given
    open(OptionalInt.of(0));
    int management = gateway.managementPort().orElseThrow();

    // Then health and metrics answer there
    assertThat(exchange(management, get("/health/live"))).isEqualTo(new RawAnswer(200, LIVE_BODY));
    assertThat(exchange(management, get("/health/ready")).status()).isEqualTo(200);
    assertThat(exchange(management, get("/health/ready/ingest")))
        .isEqualTo(
            new RawAnswer(200, "{\"name\":\"ingest\",\"ready\":true,\"state\":\"RUNNING\"}"));
    RawAnswer scraped = exchange(management, get("/metrics"));
    assertThat(scraped.status()).isEqualTo(200);
    assertThat(scraped.body()).contains("jvm_");
    // And nothing else, in the optin error shape, the services' routes included
    for (String path :
        List.of("/v1/signups", "/v1/anything", "/openapi.json", "/internal/x", "/", "/health")) {
      assertThat(exchange(management, get(path)))
          .as(path)
          .isEqualTo(new RawAnswer(404, "{\"error\":\"not found\"}"));
    }
    assertThat(
            exchange(
                management,
                "POST /v1/signups HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                    + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"))
        .isEqualTo(new RawAnswer(404, "{\"error\":\"not found\"}"));
    // While the public port serves everything, health and metrics included
    assertThat(exchange(gateway.port(), get("/v1/signups")))
        .isEqualTo(new RawAnswer(200, "signups"));
    assertThat(exchange(gateway.port(), get("/health/live")))
        .isEqualTo(new RawAnswer(200, LIVE_BODY));
    assertThat(exchange(gateway.port(), get("/metrics")).status()).isEqualTo(200);
    assertThat(gateway.managementUrl()).contains(URI.create("http://127.0.0.1:" + management));
  }

  @Test
  void shouldHaveNoManagementPortByDefault() throws Exception {
    // Given
    gateway = HttpGateway.open("127.0.0.1", 0, LIMITS, List.of(), metrics);

    // Then
    assertThat(gateway.managementPort()).isEmpty();
    assertThat(gateway.managementUrl()).isEmpty();
    assertThat(exchange(gateway.port(), get("/health/live")).status()).isEqualTo(200);
  }

  @Test
  void shouldRefuseAManagementPortThatIsThePublicPort() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }

    assertThatThrownBy(
            () ->
                HttpGateway.open(
                    "127.0.0.1", port, OptionalInt.of(port), LIMITS, List.of(), metrics))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the management port must differ from the port: " + port);
  }

  private void open(OptionalInt managementPort) {
    gateway = HttpGateway.open("127.0.0.1", 0, managementPort, LIMITS, List.of(), metrics);
    gateway.mount(
        List.of(
            new HttpRoute(
                "/v1/signups",
                exchange ->
                    HttpExchanges.send(
                        exchange, 200, "text/plain", "signups".getBytes(StandardCharsets.UTF_8)))),
        List.of(running("ingest")));
  }

  private static ServiceHealth running(String name) {
    return new ServiceHealth() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean ready() {
        return true;
      }

      @Override
      public boolean live() {
        return true;
      }

      @Override
      public String state() {
        return "RUNNING";
      }
    };
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  }

  private Socket connect(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    sockets.add(socket);
    return socket;
  }

  private static void send(Socket socket, String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  private RawAnswer exchange(int port, String request) throws IOException {
    Socket socket = connect(port);
    send(socket, request);
    return RawAnswer.read(socket);
  }
}
