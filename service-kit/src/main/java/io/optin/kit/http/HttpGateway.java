package io.optin.kit.http;

import com.sun.net.httpserver.HttpHandler;
import io.optin.kit.health.ServiceHealth;
import io.optin.kit.metrics.Metrics;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.threads.NamedThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP port of a process: every service's routes, {@code /health/live}, {@code
 * /health/ready}, {@code /health/ready/{service}} and {@code /metrics}. {@code /v1/*} requires a
 * bearer token when tokens are configured; webhooks (signed by Twilio) and health never do.
 *
 * <p>It runs on Jetty, whose non-blocking reads hold no thread for a client that sends slowly: a
 * request is read whole, within {@link HttpLimits#maxBodyBytes} (413 beyond) and {@link
 * HttpLimits#readTimeout} (connection closed beyond), before a handler thread runs it. Health and
 * metrics are answered on Jetty's own threads, never queued behind the handlers, so they answer
 * while every handler thread waits on an outcome or many slow clients are connected.
 *
 * <p>The port is bound by {@link #open}, before the services exist, so that a port of 0 is known
 * when the services' public URL is made from it; routes are mounted afterwards with {@link #mount}.
 * A mounted route is served whatever the readiness of any service: each service answers for itself
 * (the reply processor's status query answers 503 while its stream is not running), so ingest takes
 * signups while the reply processor of the same process rebalances.
 */
public final class HttpGateway implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpGateway.class);

  /** Requests waiting for a thread beyond this are refused (503), not queued without end. */
  private static final int QUEUE_PER_THREAD = 8;

  /** Jetty's own threads: selectors and the cheap answers; they never wait on a service. */
  private static final int IO_THREADS = 8;

  private static final String API_PREFIX = "/v1/";
  private static final String STARTING_RETRY_AFTER_SECONDS = "5";
  private static final String BUSY_RETRY_AFTER_SECONDS = "1";
  private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]");

  private final Server server;
  private final ServerConnector connector;
  private final ThreadPoolExecutor threads;
  private final ReadDeadlines deadlines;
  private final HttpLimits limits;
  private final BearerTokens tokens;
  private final Metrics metrics;
  private final List<String> mounted = new ArrayList<>();

  /** Health and metrics: answered on Jetty's threads. */
  private final Map<String, HttpHandler> builtIn = new ConcurrentHashMap<>();

  /** The services' handlers by path prefix, run on {@link #threads}. */
  private final Map<String, HttpHandler> handlers = new ConcurrentHashMap<>();

  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile List<ServiceHealth> services;
  private volatile boolean routed;
  private volatile Set<String> allowedHosts = Set.of();

  private HttpGateway(
      Server server,
      ServerConnector connector,
      ThreadPoolExecutor threads,
      ReadDeadlines deadlines,
      HttpLimits limits,
      BearerTokens tokens,
      Metrics metrics) {
    this.server = server;
    this.connector = connector;
    this.threads = threads;
    this.deadlines = deadlines;
    this.limits = limits;
    this.tokens = tokens;
    this.metrics = metrics;
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
    QueuedThreadPool io = new QueuedThreadPool(IO_THREADS, 2);
    io.setName("optin-http-io");
    io.setDaemon(true);
    Server server = new Server(io);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setIdleTimeout(limits.idleTimeout().toMillis());
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    ReadDeadlines deadlines = new ReadDeadlines(limits.readTimeout());
    connector.addBean(deadlines);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
    server.setErrorHandler(new JsonErrorHandler());
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            limits.threads(),
            limits.threads(),
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(limits.threads() * QUEUE_PER_THREAD),
            NamedThreads.daemons("optin-http-"));
    HttpGateway gateway =
        new HttpGateway(
            server, connector, pool, deadlines, limits, new BearerTokens(apiTokens), metrics);
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
    server.setHandler(gateway.new Dispatch());
    try {
      server.start();
    } catch (Exception e) {
      gateway.close();
      throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e, e);
    }
    LOG.info(
        "HTTP listening on {} ({} threads, {} connections at most, API tokens {})",
        gateway.url(),
        limits.threads(),
        limits.maxConnections(),
        apiTokens.isEmpty() ? "off" : "required on " + API_PREFIX + "*");
    return gateway;
  }

  /**
   * Answers only requests whose {@code Host} is 127.0.0.1, localhost or [::1] (any port) or one of
   * {@code more}, 400 otherwise: with {@code optin dev} on a laptop, a web page the developer opens
   * cannot reach the port through DNS rebinding.
   */
  public HttpGateway loopbackHostsOnly(Set<String> more) {
    Set<String> hosts = new HashSet<>(LOOPBACK_HOSTS);
    more.forEach(host -> hosts.add(host.toLowerCase(Locale.ROOT)));
    this.allowedHosts = Set.copyOf(hosts);
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
    OptinMetrics health = OptinMetrics.on(metrics);
    services.forEach(health::watchHealth);
    List<ServiceHealth> watched =
        new ArrayList<>(this.services == null ? List.of() : this.services);
    watched.addAll(services);
    this.services = List.copyOf(watched);
    routed = true;
    return this;
  }

  /** The bound port (the free port chosen when 0 was asked). */
  public int port() {
    return connector.getLocalPort();
  }

  /** {@code http://host:port}, with 127.0.0.1 for a wildcard address. */
  public URI url() {
    String host = connector.getHost();
    InetSocketAddress address =
        new InetSocketAddress(host == null ? "0.0.0.0" : host, connector.getLocalPort());
    String shown =
        address.getAddress().isAnyLocalAddress()
            ? "127.0.0.1"
            : address.getAddress().getHostAddress();
    return URI.create(
        "http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + address.getPort());
  }

  /** The path prefixes of the mounted routes. */
  public synchronized List<String> routes() {
    return List.copyOf(mounted);
  }

  /** Lets requests in progress finish for a second at most, then stops the server and threads. */
  @Override
  public void close() {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (inFlight.get() > 0 && System.nanoTime() - giveUp < 0) {
      try {
        TimeUnit.MILLISECONDS.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    server.setStopTimeout(0);
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
    }
    deadlines.close();
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

  /** The mounted handler whose prefix is the longest to start {@code path}. */
  private static HttpHandler routeFor(Map<String, HttpHandler> routes, String path) {
    String longest = null;
    for (String prefix : routes.keySet()) {
      if (path.startsWith(prefix) && (longest == null || prefix.length() > longest.length())) {
        longest = prefix;
      }
    }
    return longest == null ? null : routes.get(longest);
  }

  /**
   * Every request: the checks that need no thread of a service (host, route, token, content type,
   * size), then the body read without blocking, then the route's handler on a handler thread.
   */
  private final class Dispatch extends Handler.Abstract.NonBlocking {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      inFlight.incrementAndGet();
      Callback done = answered(request, callback);
      response.getHeaders().put("X-Content-Type-Options", "nosniff");
      String rawPath = request.getHttpURI().getPath();
      String rawQuery = request.getHttpURI().getQuery();
      URI uri;
      try {
        uri = URI.create(rawPath);
      } catch (IllegalArgumentException e) {
        refuse(request, response, done, 400, "malformed path", "path");
        return true;
      }
      try {
        uri = rawQuery == null ? uri : URI.create(rawPath + "?" + rawQuery);
      } catch (IllegalArgumentException e) {
        refuse(request, response, done, 400, "malformed query string", "query");
        return true;
      }
      if (!allowedHosts.isEmpty() && !allowedHosts.contains(host(request))) {
        refuse(request, response, done, 400, "Host must be 127.0.0.1 or localhost", "Host");
        return true;
      }
      String path = uri.getPath() == null ? "" : uri.getPath();
      HttpHandler cheap = routeFor(builtIn, path);
      HttpHandler handler = routeFor(handlers, path);
      if (handler == null && cheap != null) {
        deadlines.requestRead(request.getConnectionMetaData().getConnection());
        run(cheap, request, response, done, uri, new byte[0]);
        return true;
      }
      if (handler == null) {
        notRouted(request, response, done);
        return true;
      }
      if (path.startsWith(API_PREFIX)
          && tokens.required()
          && !tokens.accepts(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
        response.getHeaders().put("WWW-Authenticate", "Bearer realm=\"optin\"");
        refuse(request, response, done, 401, "missing or unknown API token", null);
        return true;
      }
      long length = request.getLength();
      boolean hasBody = length > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
      if (path.startsWith(API_PREFIX) && hasBody && !isJson(request)) {
        refuse(
            request, response, done, 415, "Content-Type must be application/json", "Content-Type");
        return true;
      }
      if (length > limits.maxBodyBytes()) {
        tooLarge(request, response, done);
        return true;
      }
      readBody(request, response, done, uri, handler, new ByteArrayOutputStream());
      return true;
    }

    /** Reads what has arrived, then asks to be called back when more does: no thread waits. */
    private void readBody(
        Request request,
        Response response,
        Callback done,
        URI uri,
        HttpHandler handler,
        ByteArrayOutputStream body) {
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(() -> readBody(request, response, done, uri, handler, body));
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          done.failed(chunk.getFailure());
          return;
        }
        ByteBuffer bytes = chunk.getByteBuffer();
        if (body.size() + bytes.remaining() > limits.maxBodyBytes()) {
          chunk.release();
          tooLarge(request, response, done);
          return;
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        body.write(copy, 0, copy.length);
        boolean last = chunk.isLast();
        chunk.release();
        if (last) {
          deadlines.requestRead(request.getConnectionMetaData().getConnection());
          submit(handler, request, response, done, uri, body.toByteArray());
          return;
        }
      }
    }

    private void submit(
        HttpHandler handler,
        Request request,
        Response response,
        Callback done,
        URI uri,
        byte[] body) {
      try {
        threads.execute(() -> run(handler, request, response, done, uri, body));
      } catch (RejectedExecutionException e) {
        response.getHeaders().put("Retry-After", BUSY_RETRY_AFTER_SECONDS);
        refuse(request, response, done, 503, "busy, try again shortly", null);
      }
    }

    /**
     * Runs a handler and never leaves the request unanswered: an escaped failure answers 500 with
     * no detail, and is logged once.
     */
    private void run(
        HttpHandler handler,
        Request request,
        Response response,
        Callback done,
        URI uri,
        byte[] body) {
      JettyExchange exchange = new JettyExchange(request, response, done, uri, body);
      try {
        handler.handle(exchange);
      } catch (IOException | RuntimeException e) {
        LOG.warn("{} {} failed: {}", request.getMethod(), uri.getPath(), e.toString());
      } finally {
        if (exchange.getResponseCode() == -1) {
          try {
            HttpExchanges.sendError(exchange, 500, "internal error", null);
          } catch (IOException | RuntimeException ignored) {
            // Nothing more can be told to this client.
          }
        }
        exchange.close();
      }
    }

    /**
     * A path no route serves: 404 once routes are mounted. Before that the process is starting (or
     * restarting after a crash) and the route may well exist: 503 with Retry-After, which the
     * platforms and Twilio retry, where a 404 would make them drop the signup or the reply for
     * good.
     */
    private void notRouted(Request request, Response response, Callback done) {
      if (routed) {
        refuse(request, response, done, 404, "not found", null);
        return;
      }
      response.getHeaders().put("Retry-After", STARTING_RETRY_AFTER_SECONDS);
      refuse(request, response, done, 503, "starting, try again shortly", null);
    }

    private void tooLarge(Request request, Response response, Callback done) {
      // The rest of the body is not read: the connection cannot carry another request.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
      refuse(
          request,
          response,
          done,
          413,
          "request body is larger than " + limits.maxBodyBytes() + " bytes",
          null);
    }

    /** Answers on this thread, in the API's JSON error shape. */
    private void refuse(
        Request request,
        Response response,
        Callback done,
        int status,
        String reason,
        String field) {
      deadlines.requestRead(request.getConnectionMetaData().getConnection());
      var body = HttpExchanges.JSON.createObjectNode().put("error", reason);
      if (field != null) {
        body.put("field", field);
      }
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
      response.write(true, ByteBuffer.wrap(bytes), done);
    }

    /** {@code callback}, and the connection's next request put under its read deadline. */
    private Callback answered(Request request, Callback callback) {
      var connection = request.getConnectionMetaData().getConnection();
      return Callback.from(
          () -> {
            inFlight.decrementAndGet();
            deadlines.awaitRequest(connection);
            callback.succeeded();
          },
          failure -> {
            inFlight.decrementAndGet();
            callback.failed(failure);
          });
    }
  }

  private static boolean isJson(Request request) {
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (type == null) {
      return false;
    }
    String media = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return media.equals("application/json") || media.endsWith("+json");
  }

  /** The {@code Host} header's host, lower case, without its port ({@code [::1]} kept whole). */
  private static String host(Request request) {
    String header = request.getHeaders().get(HttpHeader.HOST);
    if (header == null) {
      return "";
    }
    String host = header.strip().toLowerCase(Locale.ROOT);
    int colon = host.lastIndexOf(':');
    if (colon > 0 && colon > host.lastIndexOf(']')) {
      host = host.substring(0, colon);
    }
    return host;
  }
}
