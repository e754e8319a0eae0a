package io.optin.audit;

import static io.optin.audit.AuditDriver.KEYS;
import static io.optin.audit.AuditDriver.SUBJECTS;
import static io.optin.audit.PipelineRecords.PHONE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.optin.audit.tools.ConsentExports;
import io.optin.audit.tools.ConsentRoute;
import io.optin.kit.http.HttpRoute;
import io.optin.schemas.Topics;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /v1/consent/{phone} over a real HTTP server: JSON, text and HTML proofs, and its refusals.
 */
class ConsentRouteTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  @TempDir Path stateDir;

  private AuditDriver audit;
  private HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    audit = new AuditDriver(stateDir);
    audit.pipe(Topics.SIGNUP_REQUESTS, PHONE, PipelineRecords.signup(T0), T0);
    HttpRoute route =
        ConsentRoute.route(
            new ConsentExports(
                new DriverSubjectLedger(audit),
                SUBJECTS,
                KEYS.master(),
                Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC)));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(route.pathPrefix(), route.handler());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    audit.close();
  }

  @Test
  void shouldServeTheExportAsJsonWithThePlusSignInThePathEncodedOrNot() throws Exception {
    for (String path : new String[] {"/v1/consent/%2B14155550100", "/v1/consent/+14155550100"}) {
      HttpResponse<String> response = get(path);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
      JsonNode json = new ObjectMapper().readTree(response.body());
      assertThat(json.get("phone").asText()).isEqualTo(PHONE);
      assertThat(json.get("steps").get(0).get("type").asText()).isEqualTo("REQUESTED");
      assertThat(json.get("steps").get(0).get("ip").asText()).isEqualTo("203.0.113.7");
    }
  }

  @Test
  void shouldServeTheReadableProofAsTextOrHtml() throws Exception {
    HttpResponse<String> text = get("/v1/consent/%2B14155550100?format=text");
    HttpResponse<String> html = get("/v1/consent/%2B14155550100?format=html");

    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(text.body())
        .startsWith("== Proof of consent for +14155550100 ==")
        .contains("IP: 203.0.113.7");
    assertThat(html.statusCode()).isEqualTo(200);
    assertThat(html.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(html.body())
        .contains("<h1>Proof of consent for <span data-fact=\"phone\">+14155550100</span></h1>");
  }

  @Test
  void shouldServeEveryFormatUnsniffedUncachedAndWithoutScripts() throws Exception {
    for (String format : new String[] {"json", "text", "html"}) {
      // When
      HttpResponse<String> response = get("/v1/consent/%2B14155550100?format=" + format);

      // Then
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(response.headers().firstValue("Content-Security-Policy"))
          .hasValue(
              "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
                  + "form-action 'none'; frame-ancestors 'none'");
      assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }
  }

  @Test
  void shouldAnswer404ForAPhoneTheLedgerDoesNotKnowAnd400ForANonE164One() throws Exception {
    HttpResponse<String> unknown = get("/v1/consent/%2B14155550999");
    HttpResponse<String> malformed = get("/v1/consent/0611223344");
    HttpResponse<String> badFormat = get("/v1/consent/%2B14155550100?format=pdf");

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body())
        .isEqualTo("{\"error\":\"no consent record for this phone\",\"field\":\"phone\"}");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("\"field\":\"phone\"");
    assertThat(badFormat.statusCode()).isEqualTo(400);
  }

  @Test
  void shouldRefuseOtherMethods() throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(uri("/v1/consent/%2B14155550100")).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }
}
