package io.optin.kit.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.optin.kit.health.ServiceHealth;
import io.optin.kit.metrics.Metrics;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.threads.NamedThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP port of a process: every service's routes, {@code /health/live}, {@code
 * /health/ready}, {@code /health/ready/{service}} and {@code /metrics}, on the JDK server with a
 * bounded pool of threads, since webhooks and {@code /v1/verifications} hold a thread while they
 * wait for an outcome. {@code /v1/*} requires a bearer token when tokens are configured; webhooks
 * (signed by Twilio) and health never do.
 *
 * <p>The port is bound by {@link #open}, before the services exist, so that a port of 0 is known
 * when the services' public URL is made from it; routes are mounted afterwards with {@link #mount}.
 * A mounted route is served whatever the readiness of any service: each service answers for itself
 * (the reply processor's status query answers 503 while its stream is not running), so ingest takes
 * signups while the reply processor of the same process rebalances.
 */
public final class HttpGateway implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpGateway.class);

  /** Requests waiting for a thread beyond this are refused by the pool, not queued without end. */
  private static final int QUEUE_PER_THREAD = 8;

  private static final String API_PREFIX = "/v1/";
  private static final String STARTING_RETRY_AFTER_SECONDS = "5";

  private final HttpServer server;
  private final ThreadPoolExecutor threads;
  private final BearerTokens tokens;
  private final Metrics metrics;
  private final List<String> mounted = new ArrayList<>();

  /**
   * The mounted handlers by path prefix, for a request the server matched to {@code /} just before
   * its route was mounted (see {@link #unrouted}).
   */
  private final Map<String, HttpHandler> handlers = new ConcurrentHashMap<>();

  private volatile List<ServiceHealth> services;
  private volatile boolean routed;

  private HttpGateway(
      HttpServer server, ThreadPoolExecutor threads, BearerTokens tokens, Metrics metrics) {
    this.server = server;
    this.threads = threads;
    this.tokens = tokens;
    this.metrics = metrics;
  }

  /**
   * Binds {@code host:port} (0 = any free port) and starts answering health and metrics; {@code
   * /health/ready} answers 503 until services are {@link #mount mounted} and ready, {@code
   * /health/live} 200 until a mounted service is dead for good, every other path 503 until routes
   * are mounted.
   *
   * @param threads request threads (at least 1; the settings ask for 16 or more)
   * @param apiTokens bearer tokens accepted on {@code /v1/*}; empty means no authentication
   */
  public static HttpGateway open(
      String host, int port, int threads, List<String> apiTokens, Metrics metrics) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(threads * QUEUE_PER_THREAD),
            NamedThreads.daemons("optin-http-"));
    HttpGateway gateway = new HttpGateway(server, pool, new BearerTokens(apiTokens), metrics);
    server.setExecutor(pool);
    server.createContext("/health/live", gateway.guarded(new Liveness(() -> gateway.services)));
    server.createContext(Readiness.PATH, gateway.guarded(new Readiness(() -> gateway.services)));
    server.createContext(
        "/metrics",
        gateway.guarded(
            exchange ->
                HttpExchanges.send(
                    exchange,
                    200,
                    Metrics.CONTENT_TYPE,
                    metrics.render().getBytes(StandardCharsets.UTF_8))));
    server.createContext("/", gateway.guarded(gateway::unrouted));
    server.start();
    LOG.info(
        "HTTP listening on {} ({} threads, API tokens {})",
        gateway.url(),
        threads,
        apiTokens.isEmpty() ? "off" : "required on " + API_PREFIX + "*");
    return gateway;
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
      HttpHandler handler =
          route.pathPrefix().startsWith(API_PREFIX)
              ? tokens.guard(route.handler())
              : route.handler();
      handlers.put(route.pathPrefix(), handler);
      server.createContext(route.pathPrefix(), guarded(handler));
      mounted.add(route.pathPrefix());
    }
    OptinMetrics health = OptinMetrics.on(metrics);
    services.forEach(health::watchHealth);
    List<ServiceHealth> watched =
        new ArrayList<>(this.services == null ? List.of() : this.services);
    watched.addAll(services);
    this.services = List.copyOf(watched);
    routed = true;
    return this;
  }

  /**
   * A path no route serves: 404 once routes are mounted. Before that the process is starting (or
   * restarting after a crash) and the route may well exist: 503 with Retry-After, which the
   * platforms and Twilio retry, where a 404 would make them drop the signup or the reply for good.
   *
   * <p>The server picks a request's context before a pool thread runs it, so a request that arrived
   * while routes were being mounted can land here after its route exists: it is handed to that
   * route, never answered 404 (a crash test saw signups lost that way).
   */
  private void unrouted(HttpExchange exchange) throws IOException {
    HttpHandler late = routeFor(exchange.getRequestURI().getPath());
    if (late != null) {
      late.handle(exchange);
      return;
    }
    if (routed) {
      HttpExchanges.sendError(exchange, 404, "not found", null);
      return;
    }
    exchange.getResponseHeaders().set("Retry-After", STARTING_RETRY_AFTER_SECONDS);
    HttpExchanges.sendError(exchange, 503, "starting, try again shortly", null);
  }

  /**
   * The mounted handler whose prefix is the longest to start {@code path}, as the server matches.
   */
  private HttpHandler routeFor(String path) {
    String longest = null;
    for (String prefix : handlers.keySet()) {
      if (path.startsWith(prefix) && (longest == null || prefix.length() > longest.length())) {
        longest = prefix;
      }
    }
    return longest == null ? null : handlers.get(longest);
  }

  /** The bound port (the free port chosen when 0 was asked). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://host:port}, with 127.0.0.1 for a wildcard address. */
  public URI url() {
    InetSocketAddress address = server.getAddress();
    String host =
        address.getAddress().isAnyLocalAddress()
            ? "127.0.0.1"
            : address.getAddress().getHostAddress();
    return URI.create(
        "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort());
  }

  /** The path prefixes of the mounted routes. */
  public synchronized List<String> routes() {
    return List.copyOf(mounted);
  }

  /** Stops accepting, lets requests in progress finish for a second, then stops the threads. */
  @Override
  public void close() {
    server.stop(1);
    threads.shutdown();
    try {
      if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      threads.shutdownNow();
    }
  }

  /**
   * A handler that never leaves an exchange open: an escaped failure answers 500 and is logged
   * once.
   */
  private HttpHandler guarded(HttpHandler handler) {
    Objects.requireNonNull(handler, "handler");
    return exchange -> {
      try {
        handler.handle(exchange);
      } catch (IOException | RuntimeException e) {
        LOG.warn(
            "{} {} failed: {}",
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            e.toString());
        if (exchange.getResponseCode() == -1) {
          try {
            HttpExchanges.sendError(exchange, 500, "internal error", null);
          } catch (IOException | RuntimeException ignored) {
            // The client is gone; nothing more to tell it.
          }
        }
      } finally {
        exchange.close();
      }
    };
  }
}
