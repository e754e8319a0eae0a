package io.optin.server.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpHandler;
import io.optin.kit.http.HttpExchanges;
import io.optin.kit.http.HttpRoute;
import io.optin.kit.metrics.Metrics;
import io.optin.kit.metrics.OptinMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one HTTP port over real HTTP on 127.0.0.1: routes, token guard, health and metrics. */
class HttpGatewayTest {

  private static final String TOKEN = "test-api-token";

  private final HttpClient client = HttpClient.newHttpClient();
  private final Metrics metrics = new Metrics();
  private final AtomicBoolean repliesReady = new AtomicBoolean(false);
  private HttpGateway gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void shouldAnswerLiveAtOnceAndReadyOnlyWhenEveryServiceIs() throws Exception {
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
            service(ServiceName.INGEST, List.of(), () -> true),
            service(ServiceName.REPLIES, List.of(), repliesReady::get)));

    // Then it is named
    HttpResponse<String> waiting = get("/health/ready", Map.of());
    assertThat(waiting.statusCode()).isEqualTo(503);
    assertThat(waiting.body())
        .contains("\"reason\":\"not ready: replies\"")
        .contains("{\"name\":\"ingest\",\"ready\":true,\"state\":\"RUNNING\"}");

    // When it becomes ready
    repliesReady.set(true);

    // Then
    HttpResponse<String> ready = get("/health/ready", Map.of());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).startsWith("{\"ready\":true,");
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
    assertThat(response.body())
        .contains("# TYPE optin_confirmations_total counter\n")
        .contains("optin_confirmations_total{method=\"code_entry\"} 1\n");
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

  private static RunningService service(
      ServiceName name, List<HttpRoute> routes, java.util.function.BooleanSupplier ready) {
    return new RunningService(
        name, routes, ready, () -> ready.getAsBoolean() ? "RUNNING" : "REBALANCING", () -> {});
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
