package io.optin.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpHandler;
import io.optin.kit.health.ServiceHealth;
import io.optin.kit.metrics.Metrics;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.metrics.PrometheusText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one HTTP port over real HTTP on 127.0.0.1: routes, token guard, health and metrics. */
class HttpGatewayTest {

  private static final String TOKEN = "test-api-token";

  private final HttpClient client = HttpClient.newHttpClient();
  private final Metrics metrics = new Metrics();
  private final AtomicBoolean repliesReady = new AtomicBoolean(false);
  private final AtomicBoolean auditLive = new AtomicBoolean(true);
  private HttpGateway gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void shouldAnswerLiveAtOnceAndProcessReadyOnlyWhenEveryServiceIs() throws Exception {
    // Given a gateway without services yet
    gateway = HttpGateway.open("127.0.0.1", 0, 16, List.of(), metrics);

    // Then
    assertThat(get("/health/live", Map.of()).statusCode()).isEqualTo(200);
    assertThat(get("/health/ready", Map.of()))
        .satisfies(
            r -> {
              assertThat(r.statusCode()).isEqualTo(503);
              assertThat(r.body()).contains("services are starting");
            });

    // When services are mounted, one of them not ready
    gateway.mount(
        List.of(),
        List.of(
            service("ingest", () -> true, () -> true),
            service("replies", repliesReady::get, () -> true)));

    // Then it is named
    HttpResponse<String> waiting = get("/health/ready", Map.of());
    assertThat(waiting.statusCode()).isEqualTo(503);
    assertThat(waiting.body())
        .isEqualTo(
            "{\"ready\":false,\"reason\":\"not ready: replies\",\"services\":["
                + "{\"name\":\"ingest\",\"ready\":true,\"state\":\"RUNNING\"},"
                + "{\"name\":\"replies\",\"ready\":false,\"state\":\"REBALANCING\"}]}");

    // When it becomes ready
    repliesReady.set(true);

    // Then
    HttpResponse<String> ready = get("/health/ready", Map.of());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).startsWith("{\"ready\":true,");
  }

  @Test
  void shouldAnswerEachServiceReadinessApartAndNotFoundForAServiceTheProcessDoesNotRun()
      throws Exception {
    // Given a gateway still starting
    gateway = HttpGateway.open("127.0.0.1", 0, 16, List.of(), metrics);

    // Then no service is ready yet, and none is said not to exist
    assertThat(get("/health/ready/ingest", Map.of()))
        .satisfies(
            r -> {
              assertThat(r.statusCode()).isEqualTo(503);
              assertThat(r.body())
                  .isEqualTo(
                      "{\"name\":\"ingest\",\"ready\":false,\"reason\":\"services are starting\"}");
            });

    // When ingest is ready while replies rebalances
    gateway.mount(
        List.of(new HttpRoute("/v1/signups", ok("signed up"))),
        List.of(
            service("ingest", () -> true, () -> true),
            service("replies", repliesReady::get, () -> true)));

    // Then ingest's route is served, each service answers for itself, the process is not ready,
    // and a service the process does not run is not found
    assertThat(get("/v1/signups", Map.of()).body()).isEqualTo("signed up");
    HttpResponse<String> ingest = get("/health/ready/ingest", Map.of());
    assertThat(ingest.statusCode()).isEqualTo(200);
    assertThat(ingest.body())
        .isEqualTo("{\"name\":\"ingest\",\"ready\":true,\"state\":\"RUNNING\"}");
    HttpResponse<String> replies = get("/health/ready/replies/", Map.of());
    assertThat(replies.statusCode()).isEqualTo(503);
    assertThat(replies.body())
        .isEqualTo("{\"name\":\"replies\",\"ready\":false,\"state\":\"REBALANCING\"}");
    assertThat(get("/health/ready", Map.of()).statusCode()).isEqualTo(503);
    HttpResponse<String> unknown = get("/health/ready/sender", Map.of());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body())
        .isEqualTo(
            "{\"error\":\"this process runs no service named 'sender' (it runs ingest, replies)\"}");

    // When replies is running too
    repliesReady.set(true);

    // Then
    assertThat(get("/health/ready/replies", Map.of()).statusCode()).isEqualTo(200);
    assertThat(get("/health/ready", Map.of()).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldTurnLive503NamingTheServiceThatIsDeadForGood() throws Exception {
    // Given a process running ingest and audit, both alive
    gateway = HttpGateway.open("127.0.0.1", 0, 16, List.of(), metrics);
    gateway.mount(
        List.of(),
        List.of(
            service("ingest", () -> true, () -> true),
            service("audit", auditLive::get, auditLive::get)));
    HttpResponse<String> alive = get("/health/live", Map.of());
    assertThat(alive.statusCode()).isEqualTo(200);
    assertThat(alive.body())
        .isEqualTo(
            "{\"live\":true,\"services\":["
                + "{\"name\":\"ingest\",\"live\":true,\"state\":\"RUNNING\"},"
                + "{\"name\":\"audit\",\"live\":true,\"state\":\"RUNNING\"}]}");

    // When the audit dies for good
    auditLive.set(false);

    // Then the process is not live, and says which service is dead and why it is not ready
    HttpResponse<String> dead = get("/health/live", Map.of());
    assertThat(dead.statusCode()).isEqualTo(503);
    assertThat(dead.body())
        .isEqualTo(
            "{\"live\":false,\"reason\":\"dead for good: audit\",\"dead\":[\"audit\"],\"services\":["
                + "{\"name\":\"ingest\",\"live\":true,\"state\":\"RUNNING\"},"
                + "{\"name\":\"audit\",\"live\":false,\"state\":\"ERROR\"}]}");
    assertThat(get("/health/ready/audit", Map.of()).statusCode()).isEqualTo(503);
    assertThat(get("/health/ready/ingest", Map.of()).statusCode()).isEqualTo(200);
    PrometheusText scrape = PrometheusText.parse(get("/metrics", Map.of()).body());
    assertThat(scrape.value("optin_service_live", Map.of("service", "audit"))).isZero();
    assertThat(scrape.value("optin_service_live", Map.of("service", "ingest"))).isEqualTo(1);
    assertThat(scrape.value("optin_service_ready", Map.of("service", "audit"))).isZero();
  }

  @Test
  void shouldAskToRetryEveryRequestWhileStartingAndAnswer404OnlyOnceRoutesAreMounted()
      throws Exception {
    // Given a gateway whose services are still starting (as after a restart)
    gateway = HttpGateway.open("127.0.0.1", 0, 16, List.of(TOKEN), metrics);

    // Then a signup or a webhook arriving now is asked to come back, not told that the path does
    // not exist
    for (String path : List.of("/v1/signups", "/webhooks/twilio/inbound", "/nowhere")) {
      HttpResponse<String> starting = get(path, Map.of());
      assertThat(starting.statusCode()).as(path).isEqualTo(503);
      assertThat(starting.headers().firstValue("Retry-After")).as(path).contains("5");
    }

    // When the routes are mounted
    gateway.mount(List.of(new HttpRoute("/webhooks/twilio/inbound", ok("<Response/>"))), List.of());

    // Then they serve, and an unknown path is not found
    assertThat(get("/webhooks/twilio/inbound", Map.of()).body()).isEqualTo("<Response/>");
    assertThat(get("/nowhere", Map.of()).statusCode()).isEqualTo(404);
  }

  @Test
  void shouldServeTheCountersInThePrometheusTextFormat() throws Exception {
    // Given
    gateway = HttpGateway.open("127.0.0.1", 0, 16, List.of(), metrics);
    OptinMetrics.on(metrics).confirmed("code_entry");

    // When
    HttpResponse<String> response = get("/metrics", Map.of());

    // Then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains(Metrics.CONTENT_TYPE);
    PrometheusText scrape = PrometheusText.parse(response.body());
    assertThat(scrape.families().get("optin_confirmations_total").samples())
        .containsExactly(
            Map.entry(
                "optin_confirmations_total{country=\"ZZ\",method=\"code_entry\",program=\"unknown\"}",
                1.0));
    assertThat(scrape.families()).containsKeys("jvm_memory_used_bytes", "process_cpu_usage");
  }

  @Test
  void shouldTimeRequestsUnderTheirRouteNeverTheirRawPath() throws Exception {
    // Given a gateway with one route
    gateway = HttpGateway.open("127.0.0.1", 0, 16, List.of(), metrics);
    gateway.mount(List.of(new HttpRoute("/v1/subscribers/", ok("{}"))), List.of());
    OptinMetrics optin = OptinMetrics.on(metrics);

    // When two subscribers are looked up, and a scanner tries random paths
    get("/v1/subscribers/+14155550100", Map.of());
    get("/v1/subscribers/+14155550101", Map.of());
    get("/wp-admin/a", Map.of());
    get("/wp-admin/b", Map.of());

    // Then each lands under its route's template; the scan under one "other" series
    await()
        .untilAsserted(
            () -> {
              assertThat(
                      optin.count(
                          "optin_http_server_requests_seconds", "/v1/subscribers/", "GET", "200"))
                  .isEqualTo(2);
              assertThat(optin.count("optin_http_server_requests_seconds", "other", "GET", "404"))
                  .isEqualTo(2);
            });
    PrometheusText scrape = PrometheusText.parse(metrics.render());
    assertThat(scrape.families().get("optin_http_server_requests_seconds").samples().keySet())
        .allMatch(series -> !series.contains("+1415") && !series.contains("wp-admin"));
  }

  @Test
  void shouldRequireOneOfTheTokensOnTheApiButNotOnWebhooksOrHealth() throws Exception {
    // Given
    gateway = HttpGateway.open("127.0.0.1", 0, 16, List.of("other-token", TOKEN), metrics);
    gateway.mount(
        List.of(
            new HttpRoute("/v1/signups", ok("signed up")),
            new HttpRoute("/webhooks/twilio/inbound", ok("<Response/>"))),
        List.of());

    // Then
    HttpResponse<String> anonymous = get("/v1/signups", Map.of());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"optin\"");
    assertThat(get("/v1/signups", Map.of("Authorization", "Bearer wrong-token")).statusCode())
        .isEqualTo(401);
    assertThat(get("/v1/signups", Map.of("Authorization", "Basic " + TOKEN)).statusCode())
        .isEqualTo(401);
    assertThat(get("/v1/signups", Map.of("Authorization", "Bearer " + TOKEN)).body())
        .isEqualTo("signed up");
    assertThat(get("/v1/signups", Map.of("Authorization", "bearer other-token")).statusCode())
        .isEqualTo(200);
    assertThat(get("/webhooks/twilio/inbound", Map.of()).body()).isEqualTo("<Response/>");
    assertThat(get("/health/live", Map.of()).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldGuardTheInternalRoutesWithTheTokensAndServeThemInTheirOwnLane() throws Exception {
    // Given an internal route telling the thread that runs it and who forwarded the request
    gateway = HttpGateway.open("127.0.0.1", 0, 16, List.of(TOKEN), metrics);
    gateway.mount(
        List.of(
            new HttpRoute(
                "/internal/v1/echo",
                exchange ->
                    HttpExchanges.send(
                        exchange,
                        200,
                        "text/plain",
                        (Thread.currentThread().getName().replaceAll("[0-9]+$", "")
                                + " "
                                + exchange.getRequestHeaders().getFirst(PeerClient.FORWARDED))
                            .getBytes(StandardCharsets.UTF_8)))),
        List.of());
    PeerClient peer =
        new PeerClient(Optional.of(TOKEN), "http://replies-1:8080", Duration.ofSeconds(1), 4);

    // Then it is closed without the token, and a peer with the token is answered in the lane
    HttpResponse<String> anonymous = get("/internal/v1/echo", Map.of());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    PeerClient.Answer answer = peer.get(gateway.url(), "/internal/v1/echo", Duration.ofSeconds(5));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(new String(answer.body(), StandardCharsets.UTF_8))
        .isEqualTo("optin-http-internal- http://replies-1:8080");
  }

  @Test
  void shouldLeaveTheApiOpenWithoutTokensAndAnswer404And500ItselfWhenNeeded() throws Exception {
    // Given
    gateway = HttpGateway.open("127.0.0.1", 0, 16, List.of(), metrics);
    gateway.mount(
        List.of(
            new HttpRoute("/v1/signups", ok("signed up")),
            new HttpRoute(
                "/v1/broken",
                exchange -> {
                  throw new IllegalStateException("a bug");
                })),
        List.of());

    // Then
    assertThat(get("/v1/signups", Map.of()).body()).isEqualTo("signed up");
    assertThat(get("/nowhere", Map.of()).statusCode()).isEqualTo(404);
    assertThat(get("/v1/broken", Map.of()))
        .satisfies(
            r -> {
              assertThat(r.statusCode()).isEqualTo(500);
              assertThat(r.body()).isEqualTo("{\"error\":\"internal error\"}");
            });
    assertThat(gateway.routes()).containsExactly("/v1/signups", "/v1/broken");
  }

  @Test
  void shouldReportTheFreePortItBound() {
    // When
    gateway = HttpGateway.open("127.0.0.1", 0, 16, List.of(), metrics);

    // Then
    assertThat(gateway.port()).isPositive();
    assertThat(gateway.url()).isEqualTo(URI.create("http://127.0.0.1:" + gateway.port()));
  }

  /** A service whose state follows its flags: RUNNING, REBALANCING, or ERROR once dead. */
  private static ServiceHealth service(String name, BooleanSupplier ready, BooleanSupplier live) {
    return new ServiceHealth() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean ready() {
        return ready.getAsBoolean();
      }

      @Override
      public boolean live() {
        return live.getAsBoolean();
      }

      @Override
      public String state() {
        return !live.getAsBoolean() ? "ERROR" : ready.getAsBoolean() ? "RUNNING" : "REBALANCING";
      }
    };
  }

  private static HttpHandler ok(String body) {
    return exchange -> HttpExchanges.send(exchange, 200, "text/plain", body.getBytes());
  }

  private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + path));
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
