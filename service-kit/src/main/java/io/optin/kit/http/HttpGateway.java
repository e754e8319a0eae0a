package io.optin.kit.http;

import com.sun.net.httpserver.HttpHandler;
import io.optin.kit.health.ServiceHealth;
import io.optin.kit.http.HttpPort.Decision;
import io.optin.kit.http.HttpPort.Lane;
import io.optin.kit.http.HttpPort.Refuse;
import io.optin.kit.http.HttpPort.RequestHead;
import io.optin.kit.http.HttpPort.Serve;
import io.optin.kit.metrics.Metrics;
import io.optin.kit.metrics.OptinMetrics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP port of a process: every service's routes, {@code /health/live}, {@code
 * /health/ready}, {@code /health/ready/{service}}, {@code /metrics} and {@code /openapi.json} (the
 * port's OpenAPI document, docs/openapi.yaml), on an {@link HttpPort}. {@code /v1/*} and {@code
 * /internal/*} (what instances ask each other, in a lane of their own) require a bearer token when
 * tokens are configured, and {@code /v1/*} a JSON body; webhooks (signed by Twilio), health,
 * metrics and the OpenAPI document never need a token. Health and metrics answer on the port's own
 * threads, so they answer while every handler thread waits on an outcome or many slow clients are
 * connected.
 *
 * <p>With a management port ({@code http.management.port}) the same server also listens there,
 * serving health and metrics only (404 for every other path) under a connection cap of its own
 * ({@link #MANAGEMENT_MAX_CONNECTIONS}): however many clients fill the public port's connections, a
 * probe still connects. The public port keeps serving health and metrics too.
 *
 * <p>The port is bound by {@link #open}, before the services exist, so that a port of 0 is known
 * when the services' public URL is made from it; routes are mounted afterwards with {@link #mount}.
 * A mounted route is served whatever the readiness of any service: each service answers for itself
 * (the reply processor's status query answers 503 while its stream is not running), so ingest takes
 * signups while the reply processor of the same process rebalances.
 */
public final class HttpGateway implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpGateway.class);

  /** The API's routes: bearer tokens and JSON bodies. */
  public static final String API_PREFIX = "/v1/";

  /**
   * The provider's webhooks: served in their own lane, never refused for being busy ({@link
   * Lane#PROVIDER}).
   */
  public static final String WEBHOOK_PREFIX = "/webhooks/";

  /**
   * What the instances of a deployment ask each other (the owner of a key): bearer tokens as on
   * {@link #API_PREFIX}, served in their own lane ({@link Lane#INTERNAL}).
   */
  public static final String INTERNAL_PREFIX = "/internal/";

  /**
   * Open connections to the management port beyond which new ones wait: its clients are probes and
   * a metrics scraper, a handful at a time.
   */
  public static final int MANAGEMENT_MAX_CONNECTIONS = 32;

  /** What the management port serves (and {@code /health/ready/{service}} under the second). */
  public static final List<String> MANAGEMENT_PATHS =
      List.of("/health/live", Readiness.PATH, "/metrics");

  private static final String STARTING_RETRY_AFTER_SECONDS = "5";

  private final BearerTokens tokens;
  private final Metrics metrics;
  private final OptinMetrics optinMetrics;
  private volatile Metrics.Binding jvm;
  private final List<String> mounted = new ArrayList<>();

  /** The document is the same for every port of the process: read once. */
  private static volatile OpenApiDocument openApi;

  /** Health, metrics and the OpenAPI document: answered on the port's own threads. */
  private final Map<String, HttpHandler> builtIn = new ConcurrentHashMap<>();

  /** What the management port answers: health and metrics, on the port's own threads. */
  private final Map<String, HttpHandler> management = new ConcurrentHashMap<>();

  /** The services' handlers by path prefix, run on handler threads. */
  private final Map<String, HttpHandler> handlers = new ConcurrentHashMap<>();

  private volatile HttpPort port;
  private volatile List<ServiceHealth> services;
  private volatile boolean routed;
  private volatile LoopbackHosts hosts;

  private HttpGateway(BearerTokens tokens, Metrics metrics) {
    this.tokens = tokens;
    this.metrics = metrics;
    this.optinMetrics = OptinMetrics.on(metrics);
  }

  /**
   * As {@link #open(String, int, HttpLimits, List, Metrics)} with the default limits and {@code
   * threads} request threads.
   */
  public static HttpGateway open(
      String host, int port, int threads, List<String> apiTokens, Metrics metrics) {
    return open(host, port, HttpLimits.withThreads(threads), apiTokens, metrics);
  }

  /**
   * Binds {@code host:port} (0 = any free port) and starts answering health and metrics; {@code
   * /health/ready} answers 503 until services are {@link #mount mounted} and ready, {@code
   * /health/live} 200 until a mounted service is dead for good, every other path 503 until routes
   * are mounted.
   *
   * @param apiTokens bearer tokens accepted on {@code /v1/*}; empty means no authentication
   */
  public static HttpGateway open(
      String host, int port, HttpLimits limits, List<String> apiTokens, Metrics metrics) {
    return open(host, port, OptionalInt.empty(), limits, apiTokens, metrics);
  }

  /**
   * As {@link #open(String, int, HttpLimits, List, Metrics)}, and binds {@code host:managementPort}
   * too when it is present (0 = any free port), serving only health and metrics there.
   *
   * @throws IllegalArgumentException when the management port is the port (other than 0)
   */
  public static HttpGateway open(
      String host,
      int port,
      OptionalInt managementPort,
      HttpLimits limits,
      List<String> apiTokens,
      Metrics metrics) {
    HttpGateway gateway = new HttpGateway(new BearerTokens(apiTokens), metrics);
    gateway.builtIn.put("/health/live", new Liveness(() -> gateway.services));
    gateway.builtIn.put(Readiness.PATH, new Readiness(() -> gateway.services));
    gateway.builtIn.put(
        "/metrics",
        exchange ->
            HttpExchanges.send(
                exchange,
                200,
                Metrics.CONTENT_TYPE,
                metrics.render().getBytes(StandardCharsets.UTF_8)));
    gateway.builtIn.put(OpenApiDocument.PATH, openApiDocument());
    for (String path : MANAGEMENT_PATHS) {
      gateway.management.put(path, gateway.builtIn.get(path));
    }
    // The process's /metrics shows its JVM beside optin's own meters.
    gateway.jvm = metrics.bindJvm();
    gateway.port =
        HttpPort.open(
            "optin-http",
            host,
            port,
            limits,
            gateway::route,
            HttpPort.Dialect.OPTIN,
            gateway::timed,
            managementPort.isPresent()
                ? new HttpPort.Management(
                    managementPort.getAsInt(), MANAGEMENT_MAX_CONNECTIONS, gateway::routeManagement)
                : null);
    LOG.info(
        "HTTP listening on {} ({} threads, {} connections at most, API tokens {}){}",
        gateway.url(),
        limits.threads(),
        limits.maxConnections(),
        apiTokens.isEmpty() ? "off" : "required on " + API_PREFIX + "*",
        gateway.managementPort().stream()
            .mapToObj(bound -> ", management port " + bound + " (health and metrics only)")
            .findFirst()
            .orElse(""));
    return gateway;
  }

  /**
   * Answers only requests whose {@code Host} is 127.0.0.1, localhost or [::1] (any port) or one of
   * {@code more}, 400 otherwise, and refuses (403) a browser's post from a page of another origin:
   * with {@code optin dev} on a laptop, no web page the developer opens can reach the port (see
   * {@link LoopbackHosts}).
   */
  public HttpGateway loopbackHostsOnly(Set<String> more) {
    this.hosts = LoopbackHosts.plus(more);
    return this;
  }

  /** Mounts the services' routes and makes health report on these services. */
  public HttpGateway mount(List<RunningService> services) {
    return mount(
        services.stream().flatMap(service -> service.routes().stream()).toList(), services);
  }

  /**
   * Mounts {@code routes} and makes {@code /health/live} and {@code /health/ready} report on {@code
   * services} too (and {@code /metrics} expose their health).
   */
  public synchronized HttpGateway mount(
      List<HttpRoute> routes, List<? extends ServiceHealth> services) {
    for (HttpRoute route : routes) {
      handlers.put(route.pathPrefix(), route.handler());
      mounted.add(route.pathPrefix());
    }
    services.forEach(optinMetrics::watchHealth);
    List<ServiceHealth> watched =
        new ArrayList<>(this.services == null ? List.of() : this.services);
    watched.addAll(services);
    this.services = List.copyOf(watched);
    routed = true;
    return this;
  }

  /**
   * Every path prefix the port answers: the built-in ones (health, metrics, the OpenAPI document)
   * and the mounted routes, sorted; what docs/openapi.yaml must document.
   */
  public synchronized List<String> paths() {
    List<String> all = new ArrayList<>(builtIn.keySet());
    all.addAll(mounted);
    return all.stream().sorted().toList();
  }

  private static OpenApiDocument openApiDocument() {
    OpenApiDocument document = openApi;
    if (document == null) {
      document = OpenApiDocument.load();
      openApi = document;
    }
    return document;
  }

  /** The bound port (the free port chosen when 0 was asked). */
  public int port() {
    return port.port();
  }

  /** {@code http://host:port}, with 127.0.0.1 for a wildcard address. */
  public URI url() {
    return port.url();
  }

  /** The bound management port (the free port chosen when 0 was asked), when there is one. */
  public OptionalInt managementPort() {
    return port.managementPort();
  }

  /** {@code http://host:port} of the management port, when there is one. */
  public Optional<URI> managementUrl() {
    return port.managementUrl();
  }

  /** The path prefixes of the mounted routes. */
  public synchronized List<String> routes() {
    return List.copyOf(mounted);
  }

  /** Lets requests in progress finish for a second at most, then stops. */
  @Override
  public void close() {
    if (port != null) {
      port.close();
    }
    if (jvm != null) {
      jvm.close();
    }
  }

  /**
   * Times a request under its route: the longest mounted or built-in prefix of its path, {@code
   * other} when none (so a scan of random paths adds no series).
   */
  private void timed(String rawPath, String method, int status, long nanos) {
    String path = rawPath == null ? "" : rawPath;
    String route = longestPrefix(handlers.keySet(), path);
    if (route == null) {
      route = longestPrefix(builtIn.keySet(), path);
    }
    optinMetrics.httpRequest(
        route == null ? "other" : route, method, status, Duration.ofNanos(nanos));
  }

  private static String longestPrefix(Set<String> prefixes, String path) {
    String longest = null;
    for (String prefix : prefixes) {
      if (path.startsWith(prefix) && (longest == null || prefix.length() > longest.length())) {
        longest = prefix;
      }
    }
    return longest;
  }

  /**
   * What to do with a request, in this order: a foreign {@code Host} (400) or {@code Origin} (403)
   * in dev, health and metrics (inline), a service's route, the token on {@code /v1/*} and {@code
   * /internal/*} (401, before the body is read), a JSON body on {@code /v1/*} (415, so no web page
   * can post one through a browser's simple request).
   */
  private Decision route(RequestHead head) {
    LoopbackHosts loopback = hosts;
    if (loopback != null) {
      Optional<Refuse> refused = loopback.refusal(head);
      if (refused.isPresent()) {
        return refused.get();
      }
    }
    HttpHandler handler = HttpPort.longestPrefix(handlers, head.path());
    if (handler == null) {
      HttpHandler cheap = HttpPort.longestPrefix(builtIn, head.path());
      return cheap != null ? new Serve(cheap, Lane.INLINE) : notRouted();
    }
    boolean api = head.path().startsWith(API_PREFIX);
    boolean internal = head.path().startsWith(INTERNAL_PREFIX);
    if ((api || internal) && tokens.required() && !tokens.accepts(head.header("Authorization"))) {
      return new Refuse(
          401,
          "missing or unknown API token",
          null,
          Map.of("WWW-Authenticate", "Bearer realm=\"optin\""));
    }
    if (api || internal) {
      if (head.hasBody() && !isJson(head.header("Content-Type"))) {
        return new Refuse(415, "Content-Type must be application/json", "Content-Type");
      }
    }
    if (internal) {
      return new Serve(handler, Lane.INTERNAL);
    }
    return new Serve(handler, head.path().startsWith(WEBHOOK_PREFIX) ? Lane.PROVIDER : Lane.SHARED);
  }

  /**
   * What to do with a request to the management port: health and metrics inline, 404 for anything
   * else (the services' routes are never served there); a foreign {@code Host} is refused as on the
   * public port.
   */
  private Decision routeManagement(RequestHead head) {
    LoopbackHosts loopback = hosts;
    if (loopback != null) {
      Optional<Refuse> refused = loopback.refusal(head);
      if (refused.isPresent()) {
        return refused.get();
      }
    }
    HttpHandler handler = HttpPort.longestPrefix(management, head.path());
    return handler == null ? new Refuse(404, "not found", null) : new Serve(handler, Lane.INLINE);
  }

  /**
   * A path no route serves: 404 once routes are mounted. Before that the process is starting (or
   * restarting after a crash) and the route may well exist: 503 with Retry-After, which the
   * platforms and Twilio retry, where a 404 would make them drop the signup or the reply for good.
   */
  private Decision notRouted() {
    return routed
        ? new Refuse(404, "not found", null)
        : new Refuse(
            503,
            "starting, try again shortly",
            null,
            Map.of("Retry-After", STARTING_RETRY_AFTER_SECONDS));
  }

  private static boolean isJson(String type) {
    if (type == null) {
      return false;
    }
    String media = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return media.equals("application/json") || media.endsWith("+json");
  }
}
