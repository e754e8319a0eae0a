package io.optin.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpHandler;
import io.optin.kit.metrics.Metrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What one client may take of the port, over raw sockets on 127.0.0.1: body caps, content types,
 * hosts, read deadlines, and health that answers whatever the other clients do.
 */
class HttpGatewayLimitsTest {

  private static final String TOKEN = "limits-token";
  private static final String SIGNUP = "{\"phone\":\"+14155550123\"}";

  private final Metrics metrics = new Metrics();
  private final List<Socket> sockets = new ArrayList<>();
  private final AtomicInteger handled = new AtomicInteger();
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
  void shouldRefuseAnOversizedBody413WithoutRunningTheHandler() throws Exception {
    // Given
    open(HttpLimits.withThreads(4), List.of());

    // When a body is declared too large
    RawAnswer declared =
        exchange(
            post("/v1/signups", "application/json", "")
                .replace(
                    "Content-Length: 0", "Content-Length: " + (HttpExchanges.MAX_BODY_BYTES + 1)));

    // And a chunked body grows too large
    String chunk = "x".repeat(16 * 1024);
    StringBuilder chunked =
        new StringBuilder(
            "POST /v1/signups HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 5; i++) {
      chunked
          .append(Integer.toHexString(chunk.length()))
          .append("\r\n")
          .append(chunk)
          .append("\r\n");
    }
    chunked.append("0\r\n\r\n");
    RawAnswer streamed = exchange(chunked.toString());

    // Then
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.body())
        .isEqualTo("{\"error\":\"request body is larger than 65536 bytes\"}");
    assertThat(streamed.status()).isEqualTo(413);
    assertThat(handled).hasValue(0);
  }

  @Test
  void shouldRefuseApiBodiesThatAreNotJson415SoThatNoWebPageCanPostThem() throws Exception {
    // Given
    open(HttpLimits.withThreads(4), List.of());

    // Then
    for (String type :
        List.of(
            "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
      RawAnswer answer = exchange(post("/v1/signups", type, SIGNUP));
      assertThat(answer.status()).as(type).isEqualTo(415);
      assertThat(answer.body())
          .isEqualTo(
              "{\"error\":\"Content-Type must be application/json\",\"field\":\"Content-Type\"}");
    }
    assertThat(exchange(post("/v1/signups", null, SIGNUP)).status()).isEqualTo(415);
    assertThat(handled).hasValue(0);
    assertThat(exchange(post("/v1/signups", "application/json; charset=utf-8", SIGNUP)).status())
        .isEqualTo(200);
    // Twilio posts forms to the webhooks.
    assertThat(
            exchange(
                    post(
                        "/webhooks/twilio/inbound",
                        "application/x-www-form-urlencoded",
                        "Body=YES"))
                .status())
        .isEqualTo(200);
  }

  @Test
  void shouldRefuseAnUnauthenticatedBodyBeforeReadingIt() throws Exception {
    // Given
    open(HttpLimits.withThreads(4), List.of(TOKEN));

    // When the body is declared larger than the cap, and never sent
    RawAnswer answer =
        exchange(
            post("/v1/signups", "application/json", "")
                .replace("Authorization: Bearer " + TOKEN + "\r\n", "")
                .replace("Content-Length: 0", "Content-Length: 10000000"));

    // Then the token is what it is told about
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.body()).isEqualTo("{\"error\":\"missing or unknown API token\"}");
  }

  @Test
  void shouldAnswerOnlyLoopbackHostsAndOriginsAndThePublicHostWhenAsked() throws Exception {
    // Given
    open(HttpLimits.withThreads(4), List.of()).loopbackHostsOnly(Set.of("optin.example.ngrok.app"));

    // Then
    for (String host :
        List.of(
            "127.0.0.1:8080",
            "localhost",
            "LOCALHOST:1",
            "[::1]:8080",
            "optin.example.ngrok.app")) {
      assertThat(exchange(get("/v1/signups", host)).status()).as(host).isEqualTo(200);
    }
    for (String host : List.of("attacker.example", "127.0.0.1.attacker.example:8080")) {
      RawAnswer refused = exchange(get("/v1/signups", host));
      assertThat(refused.status()).as(host).isEqualTo(400);
      assertThat(refused.body())
          .isEqualTo("{\"error\":\"Host must be 127.0.0.1 or localhost\",\"field\":\"Host\"}");
    }
    // A cross-site post from a page elsewhere carries its Origin
    RawAnswer crossSite =
        exchange(
            post("/v1/signups", "application/json", SIGNUP)
                .replace(
                    "Host: 127.0.0.1\r\n",
                    "Host: 127.0.0.1\r\nOrigin: https://attacker.example\r\n"));
    assertThat(crossSite.status()).isEqualTo(403);
    assertThat(crossSite.body())
        .isEqualTo("{\"error\":\"cross-site request refused\",\"field\":\"Origin\"}");
    assertThat(
            exchange(
                    post("/v1/signups", "application/json", SIGNUP)
                        .replace(
                            "Host: 127.0.0.1\r\n",
                            "Host: 127.0.0.1\r\nOrigin: http://localhost:8080\r\n"))
                .status())
        .isEqualTo(200);
    // HTTP/1.1 requires a Host: Jetty refuses an empty one itself.
    assertThat(exchange(get("/v1/signups", "")).status()).isEqualTo(400);
  }

  @Test
  void shouldAnswerMalformedRequestsInTheJsonErrorShape() throws Exception {
    // Given
    open(HttpLimits.withThreads(4), List.of());

    // Then
    RawAnswer badLine = exchange("GARBAGE\r\n\r\n");
    assertThat(badLine.status()).isEqualTo(400);
    assertThat(badLine.body()).isEqualTo("{\"error\":\"bad request\"}");
    RawAnswer hugeHeader =
        exchange(
            "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                + "a".repeat(20_000)
                + "\r\n\r\n");
    assertThat(hugeHeader.status()).isEqualTo(431);
    assertThat(hugeHeader.body()).startsWith("{\"error\":");
    RawAnswer badVersion = exchange("GET /health/live HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n");
    assertThat(badVersion.status()).isEqualTo(400);
    assertThat(badVersion.body()).isEqualTo("{\"error\":\"unsupported HTTP version\"}");
    RawAnswer badQuery = exchange(get("/v1/signups?phone=%zz", "127.0.0.1"));
    assertThat(badQuery.status()).isEqualTo(400);
    assertThat(badQuery.body())
        .isEqualTo("{\"error\":\"malformed query string\",\"field\":\"query\"}");
    RawAnswer badEscape = exchange(get("/v1/signups/%zz", "127.0.0.1"));
    assertThat(badEscape.status()).isEqualTo(400);
    assertThat(badEscape.body()).startsWith("{\"error\":");
    RawAnswer badTarget = exchange(get("/v1/signups/a|b", "127.0.0.1"));
    assertThat(badTarget.status()).isEqualTo(400);
    assertThat(badTarget.body()).startsWith("{\"error\":");
  }

  @Test
  void shouldCloseAConnectionThatDoesNotSendItsRequestInTime() throws Exception {
    // Given a read timeout of 1 s
    open(new HttpLimits(4, 100, Duration.ofSeconds(1), Duration.ofSeconds(30), 65_536), List.of());

    // When a client sends half its headers, then a byte now and then
    Socket slow = connect();
    OutputStream out = slow.getOutputStream();
    out.write(
        "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();

    // Then the server closes it, however it trickles
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              try {
                out.write('X');
                out.flush();
                return readsEndOfStream(slow);
              } catch (IOException closed) {
                return true;
              }
            });
  }

  @Test
  void shouldAnswerHealthWhileHundredsOfSlowClientsAreConnectedAndEveryHandlerThreadWaits()
      throws Exception {
    // Given a port whose one handler thread is held by a request that waits, two more queued
    CountDownLatch release = new CountDownLatch(1);
    gateway = HttpGateway.open("127.0.0.1", 0, HttpLimits.withThreads(1), List.of(), metrics);
    gateway.mount(
        List.of(
            new HttpRoute(
                "/v1/wait",
                exchange -> {
                  try {
                    release.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  HttpExchanges.sendJson(exchange, 200, java.util.Map.of());
                })),
        List.of());
    List<Socket> waiting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Socket socket = connect();
      socket
          .getOutputStream()
          .write(get("/v1/wait", "127.0.0.1").getBytes(StandardCharsets.US_ASCII));
      waiting.add(socket);
    }

    // And 300 clients that send half a request and then nothing
    for (int i = 0; i < 300; i++) {
      Socket socket = connect();
      socket
          .getOutputStream()
          .write(
              ("POST /v1/wait HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      + "Content-Length: 1000\r\n\r\n{")
                  .getBytes(StandardCharsets.US_ASCII));
    }

    // Then health answers
    for (int i = 0; i < 3; i++) {
      RawAnswer live = exchange(get("/health/live", "127.0.0.1"));
      assertThat(live.status()).isEqualTo(200);
    }
    release.countDown();
    assertThat(RawAnswer.read(waiting.get(0)).status()).isEqualTo(200);
  }

  @Test
  void shouldRefuseTheApiWhenBusyButQueueEveryProviderWebhookSinceTwilioNeverSendsAReplyAgain()
      throws Exception {
    // Given one handler thread (a queue of 8) and four provider threads, every handler waiting
    CountDownLatch release = new CountDownLatch(1);
    HttpHandler waits =
        exchange -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.getRequestBody().readAllBytes();
          handled.incrementAndGet();
          HttpExchanges.send(exchange, 200, "text/plain", new byte[0]);
        };
    gateway = HttpGateway.open("127.0.0.1", 0, HttpLimits.withThreads(1), List.of(), metrics);
    gateway.mount(
        List.of(new HttpRoute("/v1/wait", waits), new HttpRoute("/webhooks/twilio/inbound", waits)),
        List.of());

    // When 10 API requests arrive: one runs, eight queue, the tenth finds the queue full
    List<Socket> api = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      api.add(send(post("/v1/wait", "application/json", "{}")));
    }
    // (whichever reaches the port last: connections are accepted in any order)
    Socket refused =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> firstAnswering(api), Optional::isPresent)
            .orElseThrow();
    RawAnswer busy = RawAnswer.read(refused);

    // And 30 webhooks arrive meanwhile, far more than the provider lane's threads
    List<Socket> webhooks = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      webhooks.add(
          send(post("/webhooks/twilio/inbound", "application/x-www-form-urlencoded", "a=1")));
    }
    release.countDown();

    // Then the API asked the tenth to retry, and every webhook was served
    assertThat(busy.status()).isEqualTo(503);
    for (Socket webhook : webhooks) {
      assertThat(RawAnswer.read(webhook).status()).isEqualTo(200);
    }
    for (Socket request : api) {
      if (request != refused) {
        assertThat(RawAnswer.read(request).status()).isEqualTo(200);
      }
    }
    assertThat(handled).hasValue(39);
  }

  private static Optional<Socket> firstAnswering(List<Socket> sockets) throws IOException {
    for (Socket socket : sockets) {
      if (socket.getInputStream().available() > 0) {
        return Optional.of(socket);
      }
    }
    return Optional.empty();
  }

  private Socket send(String request) throws IOException {
    Socket socket = connect();
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  private HttpGateway open(HttpLimits limits, List<String> tokens) {
    gateway = HttpGateway.open("127.0.0.1", 0, limits, tokens, metrics);
    HttpHandler echo =
        exchange -> {
          handled.incrementAndGet();
          byte[] body = exchange.getRequestBody().readAllBytes();
          HttpExchanges.send(exchange, 200, "text/plain", body);
        };
    gateway.mount(
        List.of(
            new HttpRoute("/v1/signups", echo), new HttpRoute("/webhooks/twilio/inbound", echo)),
        List.of());
    return gateway;
  }

  private static String post(String path, String contentType, String body) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
        + "Authorization: Bearer "
        + TOKEN
        + "\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  private static String get(String path, String host) {
    return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", gateway.port());
    socket.setSoTimeout(5_000);
    sockets.add(socket);
    return socket;
  }

  private RawAnswer exchange(String request) throws IOException {
    Socket socket = connect();
    socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
    return RawAnswer.read(socket);
  }

  private static boolean readsEndOfStream(Socket socket) throws IOException {
    socket.setSoTimeout(100);
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    }
  }
}
