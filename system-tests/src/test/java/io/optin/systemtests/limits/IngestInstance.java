package io.optin.systemtests.limits;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpHandler;
import io.optin.ingest.IngestService;
import io.optin.ingest.IngestSettings;
import io.optin.kit.config.Settings;
import io.optin.kit.http.HttpLimits;
import io.optin.kit.http.HttpPort;
import io.optin.kit.http.HttpRoute;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One signup-ingest instance as a deployment runs it: its own {@link IngestService} and HTTP port,
 * on a broker it shares with the other instances.
 */
final class IngestInstance implements AutoCloseable {

  static final String CONSENT =
      "Yes, text me Acme deals. Msg & data rates may apply. Reply STOP to opt out.";
  private static final JsonMapper JSON = new JsonMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final IngestService service;
  private final HttpPort port;

  private IngestInstance(IngestService service, HttpPort port) {
    this.service = service;
    this.port = port;
  }

  /** Starts an instance with these front-door settings over the defaults, ready to take signups. */
  static IngestInstance start(
      String name, String bootstrapServers, AvroSerdes serdes, Map<String, String> settings) {
    IngestService service =
        new IngestService(
            IngestSettings.from(Settings.defaults(IngestSettings.CATALOGUE).with(settings, "test")),
            Map.of("bootstrap.servers", bootstrapServers),
            serdes,
            Clock.systemUTC(),
            OptinMetrics.unexposed());
    service.start();
    Map<String, HttpHandler> routes = new LinkedHashMap<>();
    for (HttpRoute route : service.routes()) {
      routes.put(route.pathPrefix(), route.handler());
    }
    HttpPort port =
        HttpPort.open(
            "ingest-" + name,
            "127.0.0.1",
            0,
            HttpLimits.withThreads(16),
            HttpPort.prefixes(routes));
    IngestInstance instance = new IngestInstance(service, port);
    await().atMost(Duration.ofSeconds(60)).until(service::ready);
    return instance;
  }

  /** A valid signup body. */
  static ObjectNode signup(String phone, String ip, String idempotencyKeyOrNull) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("phone", phone)
            .put("programId", "acme-deals")
            .put("consentText", CONSENT)
            .put("consentTextVersion", "v3")
            .put("locale", "en-US");
    if (idempotencyKeyOrNull != null) {
      body.put("idempotencyKey", idempotencyKeyOrNull);
    }
    body.putObject("source")
        .put("channel", "web_form")
        .put("url", "https://acme.example/signup")
        .put("ip", ip)
        .put("userAgent", "Mozilla/5.0");
    return body;
  }

  /** {@code POST /v1/signups} on this instance's port. */
  HttpResponse<String> post(ObjectNode body) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.port() + "/v1/signups"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String signupIdOf(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body()).path("signupId").asText(null);
  }

  static String fieldOf(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body()).path("field").asText(null);
  }

  @Override
  public void close() {
    port.close();
    service.close();
  }
}
