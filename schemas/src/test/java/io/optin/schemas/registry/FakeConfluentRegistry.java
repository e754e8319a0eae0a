package io.optin.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.apache.avro.Schema;

/**
 * A real HTTP server on 127.0.0.1 answering the Schema Registry REST calls with Confluent's JSON
 * shapes and error codes, backed by an {@link InMemorySchemaRegistryClient}; it records every
 * request it receives.
 */
public final class FakeConfluentRegistry implements AutoCloseable {

  /** One request as the server received it. */
  public record Request(
      String method, String path, Map<String, List<String>> headers, String body) {
    public Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .findFirst();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
  private static final Pattern LOOKUP = Pattern.compile("/subjects/([^/]+)");
  private static final Pattern LATEST = Pattern.compile("/subjects/([^/]+)/versions/latest");
  private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(-?\\d+)");

  private final HttpServer server;
  private final String scheme;
  private final String prefix;
  private final InMemorySchemaRegistryClient store;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Predicate<String> authorized = header -> true;

  private final java.util.concurrent.atomic.AtomicInteger busyAnswers =
      new java.util.concurrent.atomic.AtomicInteger();

  private FakeConfluentRegistry(HttpServer server, String scheme, String prefix, int firstId) {
    this.server = server;
    this.scheme = scheme;
    this.prefix = prefix;
    this.store = new InMemorySchemaRegistryClient(firstId);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * A registry at {@code https://127.0.0.1:<port>} with the server certificate of {@code tls},
   * refusing the handshake of a client without a certificate {@code tls} trusts when {@code
   * clientCertificate}.
   */
  public static FakeConfluentRegistry startTls(SSLContext tls, boolean clientCertificate) {
    try {
      HttpsServer https =
          HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      https.setHttpsConfigurator(
          new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters parameters = tls.getDefaultSSLParameters();
              parameters.setNeedClientAuth(clientCertificate);
              params.setSSLParameters(parameters);
            }
          });
      return new FakeConfluentRegistry(https, "https", "", 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A registry at {@code http://127.0.0.1:<port>}, numbering schemas from 1. */
  public static FakeConfluentRegistry start() {
    return start("", 1);
  }

  /**
   * A registry under a path prefix (as Apicurio's {@code /apis/ccompat/v7}), numbering schemas from
   * firstId.
   */
  public static FakeConfluentRegistry start(String prefix, int firstId) {
    try {
      HttpServer http =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      return new FakeConfluentRegistry(http, "http", prefix, firstId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base URL to give clients. */
  public String url() {
    return scheme + "://127.0.0.1:" + server.getAddress().getPort() + prefix;
  }

  /** Every request received so far, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The registry's state, to register or inspect schemas behind the clients' backs. */
  public InMemorySchemaRegistryClient store() {
    return store;
  }

  /** From now on, answer 401 unless basic auth carries exactly {@code user:password}. */
  public void requireBasicAuth(String userPassword) {
    String expected =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
    requireAuthorization(expected::equals);
  }

  /**
   * From now on, answer 401 unless the {@code Authorization} header (null when absent) passes
   * {@code check}.
   */
  public void requireAuthorization(Predicate<String> check) {
    this.authorized = check;
  }

  /**
   * The next {@code answers} calls are answered 503 with {@code Retry-After: 1}, as a registry too
   * busy to take them.
   */
  public void busyFor(int answers) {
    busyAnswers.set(answers);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getRawPath();
      String method = exchange.getRequestMethod();
      requests.add(new Request(method, path, Map.copyOf(exchange.getRequestHeaders()), body));
      try {
        if (busyAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          exchange.getResponseHeaders().set("Retry-After", "1");
          throw new SchemaRegistryException(503, 503, "busy, try again shortly");
        }
        if (!authorized.test(exchange.getRequestHeaders().getFirst("Authorization"))) {
          throw new SchemaRegistryException(401, 401, "Unauthorized");
        }
        if (!path.startsWith(prefix)) {
          throw new SchemaRegistryException(404, 404, "HTTP 404 Not Found");
        }
        send(exchange, 200, route(method, path.substring(prefix.length()), body));
      } catch (SchemaRegistryException e) {
        ObjectNode error =
            JSON.createObjectNode().put("error_code", e.errorCode()).put("message", e.getMessage());
        send(exchange, e.httpStatus(), error);
      }
    }
  }

  private JsonNode route(String method, String path, String body) throws IOException {
    Matcher m;
    if (method.equals("POST") && (m = REGISTER.matcher(path)).matches()) {
      return JSON.createObjectNode().put("id", store.register(subject(m), schemaIn(body)));
    }
    if (method.equals("POST") && (m = LOOKUP.matcher(path)).matches()) {
      String subject = subject(m);
      int id = store.lookupId(subject, schemaIn(body));
      return version(subject, id, store.versionIds(subject).indexOf(id) + 1);
    }
    if (method.equals("GET") && (m = LATEST.matcher(path)).matches()) {
      RegisteredSchema latest = store.latest(subject(m));
      return version(latest.subject(), latest.id(), latest.version());
    }
    if (method.equals("GET") && (m = BY_ID.matcher(path)).matches()) {
      return JSON.createObjectNode()
          .put("schema", store.schemaById(Integer.parseInt(m.group(1))).toString());
    }
    throw new SchemaRegistryException(404, 404, "HTTP 404 Not Found");
  }

  private ObjectNode version(String subject, int id, int version) {
    return JSON.createObjectNode()
        .put("subject", subject)
        .put("id", id)
        .put("version", version)
        .put("schema", store.schemaById(id).toString());
  }

  private static String subject(Matcher m) {
    return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
  }

  private static Schema schemaIn(String body) throws IOException {
    JsonNode request = JSON.readTree(body);
    try {
      return new Schema.Parser().parse(request.get("schema").asText());
    } catch (RuntimeException e) {
      throw new SchemaRegistryException(
          422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e);
    }
  }

  private static void send(HttpExchange exchange, int status, JsonNode json) throws IOException {
    byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", RegistryHttp.CONTENT_TYPE);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
