package io.optin.server.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.optin.kit.http.HttpExchanges;
import io.optin.kit.http.HttpRoute;
import io.optin.kit.metrics.Metrics;
import io.optin.kit.threads.NamedThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP port of a process (DESIGN.md §5): every service's routes, {@code /health/live},
 * {@code /health/ready} and {@code /metrics}, on the JDK server with a bounded pool of threads,
 * since webhooks and {@code /v1/verifications} hold a thread while they wait for an outcome. {@code
 * /v1/*} requires a bearer token when tokens are configured; webhooks (signed by Twilio) and health
 * never do.
 *
 * <p>The port is bound by {@link #open}, before the services exist, so that a port of 0 is known
 * when the services' public URL is made from it; routes are mounted afterwards with {@link #mount}.
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
  private final Readiness readiness;
  private final List<String> mounted = new ArrayList<>();
  private volatile boolean routed;

  private HttpGateway(
      HttpServer server, ThreadPoolExecutor threads, BearerTokens tokens, Readiness readiness) {
    this.server = server;
    this.threads = threads;
    this.tokens = tokens;
    this.readiness = readiness;
  }

  /**
   * Binds {@code host:port} (0 = any free port) and starts answering health and metrics; {@code
   * /health/ready} answers 503 until services are {@link #mount mounted} and ready, every other
   * path 503 until routes are mounted.
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
    HttpGateway gateway =
        new HttpGateway(server, pool, new BearerTokens(apiTokens), new Readiness());
    server.setExecutor(pool);
    server.createContext(
        "/health/live", gateway.guarded(exchange -> text(exchange, 200, "live\n")));
    server.createContext("/health/ready", gateway.guarded(gateway.readiness));
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

  /** Mounts the services' routes and makes {@code /health/ready} report on these services. */
  public HttpGateway mount(OptinServices services) {
    return mount(services.routes(), services.services());
  }

  /** Mounts {@code routes} and makes {@code /health/ready} report on {@code services}. */
  public synchronized HttpGateway mount(List<HttpRoute> routes, List<RunningService> services) {
    for (HttpRoute route : routes) {
      HttpHandler handler =
          route.pathPrefix().startsWith(API_PREFIX)
              ? tokens.guard(route.handler())
              : route.handler();
      server.createContext(route.pathPrefix(), guarded(handler));
      mounted.add(route.pathPrefix());
    }
    readiness.watch(List.copyOf(services));
    routed = true;
    return this;
  }

  /**
   * A path no route serves: 404 once routes are mounted. Before that the process is starting (or
   * restarting after a crash) and the route may well exist: 503 with Retry-After, which the
   * platforms and Twilio retry, where a 404 would make them drop the signup or the reply for good.
   */
  private void unrouted(HttpExchange exchange) throws IOException {
    if (routed) {
      HttpExchanges.sendError(exchange, 404, "not found", null);
      return;
    }
    exchange.getResponseHeaders().set("Retry-After", STARTING_RETRY_AFTER_SECONDS);
    HttpExchanges.sendError(exchange, 503, "starting, try again shortly", null);
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

  static void text(HttpExchange exchange, int status, String body) throws IOException {
    HttpExchanges.send(
        exchange, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }
}
