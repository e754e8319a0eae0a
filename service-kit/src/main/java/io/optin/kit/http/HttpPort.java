package io.optin.kit.http;

import com.sun.net.httpserver.HttpHandler;
import io.optin.kit.threads.NamedThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
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
 * One listening HTTP port on Jetty, running handlers written against the JDK's {@link HttpHandler}:
 * the services' port ({@link HttpGateway}) and the laptop's registry and Twilio sandbox all take
 * the same limits.
 *
 * <p>Jetty's reads do not block, so a client that sends slowly holds a connection, never a thread.
 * A request is read whole, within {@link HttpLimits#maxBodyBytes} (413 beyond) and {@link
 * HttpLimits#readTimeout} (connection closed beyond), before a handler thread runs it; a {@link
 * Router} decides from the request's line and headers alone what to do with it, so a request that
 * will be refused is never read. Handlers marked inline (health, metrics) run on Jetty's own
 * threads and never queue behind the others.
 *
 * <p>A port may have a second, {@link Management management} connector on the same server: its own
 * port, its own connection cap and its own router, so that the clients of the first, however many,
 * cannot keep a probe from connecting.
 */
public final class HttpPort implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpPort.class);

  /** Requests waiting for a thread beyond this are refused (503), not queued without end. */
  private static final int QUEUE_PER_THREAD = 8;

  /**
   * Threads of the provider lane per handler thread: they mostly wait (a reply webhook waits for
   * its outcome), so they are cheap, and a backlog there delays a subscriber's answer.
   */
  private static final int PROVIDER_THREADS_PER_THREAD = 4;

  /**
   * Threads of the internal lane per handler thread: they wait (an owner's outcome) for a bounded
   * time and never call another instance, so two instances asking each other cannot deadlock.
   */
  private static final int INTERNAL_THREADS_PER_THREAD = 2;

  /** Jetty's own threads: selectors and inline answers; they never wait on a service. */
  private static final int IO_THREADS = 8;

  /** Threads a connector leases from Jetty's pool: one acceptor, one selector. */
  private static final int CONNECTOR_THREADS = 2;

  private static final String BUSY_RETRY_AFTER_SECONDS = "1";

  /** What to do with a request, decided before its body is read. */
  public sealed interface Decision {}

  /** Where a request's handler runs once its body is read. */
  public enum Lane {
    /** On Jetty's own thread: the handler must answer at once (health, metrics). */
    INLINE,
    /** On a handler thread; refused with 503 when all are busy and the queue is full. */
    SHARED,
    /**
     * On the threads kept for a provider's webhooks, never refused for being busy: Twilio does not
     * retry an inbound SMS it was refused, so a 503 there would lose a subscriber's reply. Its
     * queue needs no bound of its own: a connection carries one request at a time, and connections
     * are capped ({@link HttpLimits#maxConnections}).
     */
    PROVIDER,
    /**
     * On threads of their own, for requests another instance forwards (the owner of a key): never
     * queued behind the shared lane, whose threads may be the very ones waiting for these answers;
     * refused with 503 when all are busy and the queue is full.
     */
    INTERNAL
  }

  /** Read the body, then run {@code handler} in its {@code lane}. */
  public record Serve(HttpHandler handler, Lane lane) implements Decision {}

  /** Answer at once in the JSON error shape, with these extra headers, without reading the body. */
  public record Refuse(int status, String reason, String field, Map<String, String> headers)
      implements Decision {

    public Refuse(int status, String reason, String field) {
      this(status, reason, field, Map.of());
    }
  }

  /**
   * The JSON body of the answers a port gives itself (refusals, 413, 503) for its clients' error
   * shape: optin's {@code {"error", "field"}}, a registry's {@code {"error_code", "message"}}...
   */
  @FunctionalInterface
  public interface ErrorShape {
    String json(int status, String reason, String field);
  }

  /**
   * What a port's clients expect of it: the shape and content type of the errors it answers itself,
   * and whether an encoded slash ({@code %2F}) may stand inside a path segment (a schema registry's
   * subjects may hold one; optin's paths never do, so it refuses them as ambiguous).
   */
  public record Dialect(ErrorShape errors, String errorContentType, boolean encodedSlashes) {

    /** optin's API: {@code {"error": reason, "field": field}}, no encoded slash. */
    public static final Dialect OPTIN =
        new Dialect(
            (status, reason, field) -> {
              var body = HttpExchanges.JSON.createObjectNode().put("error", reason);
              if (field != null) {
                body.put("field", field);
              }
              return body.toString();
            },
            "application/json",
            false);
  }

  /**
   * Told of each request once it is answered (the last byte written or the exchange failed), on the
   * thread that finished it: it must be quick.
   */
  @FunctionalInterface
  public interface Timing {
    /**
     * @param rawPath the request's path as sent (not decoded): the observer maps it to a route
     * @param status the status answered (500 when the exchange failed before one was set)
     */
    void answered(String rawPath, String method, int status, long nanos);

    Timing NONE = (rawPath, method, status, nanos) -> {};
  }

  /**
   * A second connector of the port for probes and scrapes: its connections are capped apart from
   * the main connector's, and its requests go to {@code router} alone.
   *
   * @param port 0 = any free port
   * @param maxConnections open connections to it beyond which new ones wait in the accept backlog
   */
  public record Management(int port, int maxConnections, Router router) {
    public Management {
      if (port < 0 || port > 65_535 || maxConnections < 1) {
        throw new IllegalArgumentException(
            "management port 0 to 65535 and a positive connection cap: "
                + port
                + ", "
                + maxConnections);
      }
      Objects.requireNonNull(router, "router");
    }
  }

  /** Picks what to do with a request from its line and headers. */
  @FunctionalInterface
  public interface Router {
    Decision route(RequestHead head);
  }

  /** A request's method, target and headers: what is known before its body is read. */
  public static final class RequestHead {
    private final Request request;
    private final URI uri;

    private RequestHead(Request request, URI uri) {
      this.request = request;
      this.uri = uri;
    }

    public String method() {
      return request.getMethod();
    }

    /** The path, percent-decoded. */
    public String path() {
      return uri.getPath() == null ? "" : uri.getPath();
    }

    /** The first value of header {@code name}, or null. */
    public String header(String name) {
      return request.getHeaders().get(name);
    }

    /** Whether a body follows (a positive length, or chunks). */
    public boolean hasBody() {
      return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }
  }

  private final Server server;
  private final ServerConnector connector;
  private final ServerConnector managementConnector;
  private final Router managementRouter;
  private final ThreadPoolExecutor threads;
  private final ThreadPoolExecutor providerThreads;
  private final ThreadPoolExecutor internalThreads;
  private final ReadDeadlines deadlines;
  private final HttpLimits limits;
  private final Router router;
  private final Dialect dialect;
  private final Timing timing;
  private final AtomicInteger inFlight = new AtomicInteger();

  private HttpPort(
      Server server,
      ServerConnector connector,
      ServerConnector managementConnector,
      Router managementRouter,
      ThreadPoolExecutor threads,
      ThreadPoolExecutor providerThreads,
      ThreadPoolExecutor internalThreads,
      ReadDeadlines deadlines,
      HttpLimits limits,
      Router router,
      Dialect dialect,
      Timing timing) {
    this.server = server;
    this.connector = connector;
    this.managementConnector = managementConnector;
    this.managementRouter = managementRouter;
    this.threads = threads;
    this.providerThreads = providerThreads;
    this.internalThreads = internalThreads;
    this.deadlines = deadlines;
    this.limits = limits;
    this.router = router;
    this.dialect = dialect;
    this.timing = timing;
  }

  /** As {@link #open(String, String, int, HttpLimits, Router, Dialect)} in optin's dialect. */
  public static HttpPort open(
      String name, String host, int port, HttpLimits limits, Router router) {
    return open(name, host, port, limits, router, Dialect.OPTIN);
  }

  /**
   * Binds {@code host:port} (0 = any free port) and serves it.
   *
   * @param name names the threads ({@code optin-http}, {@code schema-registry-http}...)
   * @param dialect what the port's clients expect of its own answers and paths
   */
  public static HttpPort open(
      String name, String host, int port, HttpLimits limits, Router router, Dialect dialect) {
    return open(name, host, port, limits, router, dialect, Timing.NONE);
  }

  /**
   * As {@link #open(String, String, int, HttpLimits, Router, Dialect)}, telling {@code timing} how
   * long each request took.
   */
  public static HttpPort open(
      String name,
      String host,
      int port,
      HttpLimits limits,
      Router router,
      Dialect dialect,
      Timing timing) {
    return open(name, host, port, limits, router, dialect, timing, null);
  }

  /**
   * As {@link #open(String, String, int, HttpLimits, Router, Dialect, Timing)}, with a {@code
   * management} connector on the same host when it is not null.
   */
  public static HttpPort open(
      String name,
      String host,
      int port,
      HttpLimits limits,
      Router router,
      Dialect dialect,
      Timing timing,
      Management management) {
    if (management != null && management.port() != 0 && management.port() == port) {
      throw new IllegalArgumentException("the management port must differ from the port: " + port);
    }
    // The management connector's acceptor and selector take two threads of Jetty's own.
    QueuedThreadPool io =
        new QueuedThreadPool(IO_THREADS + (management == null ? 0 : CONNECTOR_THREADS), 2);
    io.setName(name + "-io");
    io.setDaemon(true);
    Server server = new Server(io);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setIdleTimeout(limits.idleTimeout().toMillis());
    if (dialect.encodedSlashes()) {
      http.setUriCompliance(
          UriCompliance.DEFAULT.with(
              "encoded slashes", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
    }
    ReadDeadlines deadlines = new ReadDeadlines(limits.readTimeout());
    ServerConnector connector = connector(server, http, host, port, limits, deadlines);
    // Each connector is capped on its own: a full main connector stops accepting, the management
    // connector does not.
    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
    ServerConnector managementConnector = null;
    if (management != null) {
      managementConnector = connector(server, http, host, management.port(), limits, deadlines);
      server.addBean(new NetworkConnectionLimit(management.maxConnections(), managementConnector));
    }
    server.setErrorHandler(new JsonErrorHandler());
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            limits.threads(),
            limits.threads(),
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(limits.threads() * QUEUE_PER_THREAD),
            NamedThreads.daemons(name + "-"));
    int providerLane = limits.threads() * PROVIDER_THREADS_PER_THREAD;
    ThreadPoolExecutor providerPool =
        new ThreadPoolExecutor(
            providerLane,
            providerLane,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            NamedThreads.daemons(name + "-provider-"));
    providerPool.allowCoreThreadTimeOut(true);
    int internalLane = limits.threads() * INTERNAL_THREADS_PER_THREAD;
    ThreadPoolExecutor internalPool =
        new ThreadPoolExecutor(
            internalLane,
            internalLane,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(internalLane * QUEUE_PER_THREAD),
            NamedThreads.daemons(name + "-internal-"));
    internalPool.allowCoreThreadTimeOut(true);
    HttpPort opened =
        new HttpPort(
            server,
            connector,
            managementConnector,
            management == null ? null : management.router(),
            pool,
            providerPool,
            internalPool,
            deadlines,
            limits,
            router,
            dialect,
            Objects.requireNonNull(timing, "timing"));
    server.setHandler(opened.new Dispatch());
    try {
      server.start();
    } catch (Exception e) {
      opened.close();
      throw new IllegalStateException(
          "cannot listen on "
              + host
              + ":"
              + port
              + (management == null ? "" : " and " + host + ":" + management.port())
              + ": "
              + e,
          e);
    }
    return opened;
  }

  private static ServerConnector connector(
      Server server,
      HttpConfiguration http,
      String host,
      int port,
      HttpLimits limits,
      ReadDeadlines deadlines) {
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    connector.addBean(deadlines);
    server.addConnector(connector);
    return connector;
  }

  /** A router serving the handler of the longest prefix of the path, 404 when none. */
  public static Router prefixes(Map<String, HttpHandler> handlers) {
    Map<String, HttpHandler> copy = Map.copyOf(handlers);
    return head -> {
      HttpHandler handler = longestPrefix(copy, head.path());
      return handler == null ? new Refuse(404, "not found", null) : new Serve(handler, Lane.SHARED);
    };
  }

  /** The handler whose prefix is the longest to start {@code path}, or null. */
  static HttpHandler longestPrefix(Map<String, HttpHandler> handlers, String path) {
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
    return connector.getLocalPort();
  }

  /** The bound management port, when the port has a management connector. */
  public OptionalInt managementPort() {
    return managementConnector == null
        ? OptionalInt.empty()
        : OptionalInt.of(managementConnector.getLocalPort());
  }

  /** {@code http://host:port}, with 127.0.0.1 for a wildcard address. */
  public URI url() {
    return url(connector);
  }

  /** {@link #url()} of the management connector, when the port has one. */
  public Optional<URI> managementUrl() {
    return managementConnector == null ? Optional.empty() : Optional.of(url(managementConnector));
  }

  private static URI url(ServerConnector connector) {
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
    stop(threads);
    stop(providerThreads);
    stop(internalThreads);
  }

  private static void stop(ThreadPoolExecutor pool) {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pool.shutdownNow();
    }
  }

  /**
   * Every request: its target checked, the router's decision, then the body read without blocking
   * and the handler run.
   */
  private final class Dispatch extends Handler.Abstract.NonBlocking {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      inFlight.incrementAndGet();
      Callback done = answered(request, response, callback);
      response.getHeaders().put("X-Content-Type-Options", "nosniff");
      String rawPath = request.getHttpURI().getPath();
      String rawQuery = request.getHttpURI().getQuery();
      URI uri;
      try {
        uri = URI.create(rawPath);
      } catch (IllegalArgumentException e) {
        refuse(request, response, done, new Refuse(400, "malformed path", "path"));
        return true;
      }
      try {
        uri = rawQuery == null ? uri : URI.create(rawPath + "?" + rawQuery);
      } catch (IllegalArgumentException e) {
        refuse(request, response, done, new Refuse(400, "malformed query string", "query"));
        return true;
      }
      Router chosen =
          managementConnector != null
                  && request.getConnectionMetaData().getConnector() == managementConnector
              ? managementRouter
              : router;
      Decision decision = chosen.route(new RequestHead(request, uri));
      if (decision instanceof Refuse refusal) {
        refuse(request, response, done, refusal);
        return true;
      }
      Serve serve = (Serve) decision;
      if (request.getLength() > limits.maxBodyBytes()) {
        tooLarge(request, response, done);
        return true;
      }
      readBody(request, response, done, uri, serve, new ByteArrayOutputStream());
      return true;
    }

    /** Reads what has arrived, then asks to be called back when more does: no thread waits. */
    private void readBody(
        Request request,
        Response response,
        Callback done,
        URI uri,
        Serve serve,
        ByteArrayOutputStream body) {
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(() -> readBody(request, response, done, uri, serve, body));
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
          switch (serve.lane()) {
            case INLINE -> run(serve.handler(), request, response, done, uri, body.toByteArray());
            case SHARED ->
                submit(threads, serve.handler(), request, response, done, uri, body.toByteArray());
            case PROVIDER ->
                submit(
                    providerThreads,
                    serve.handler(),
                    request,
                    response,
                    done,
                    uri,
                    body.toByteArray());
            case INTERNAL ->
                submit(
                    internalThreads,
                    serve.handler(),
                    request,
                    response,
                    done,
                    uri,
                    body.toByteArray());
          }
          return;
        }
      }
    }

    private void submit(
        ThreadPoolExecutor lane,
        HttpHandler handler,
        Request request,
        Response response,
        Callback done,
        URI uri,
        byte[] body) {
      try {
        lane.execute(() -> run(handler, request, response, done, uri, body));
      } catch (RejectedExecutionException e) {
        refuse(
            request,
            response,
            done,
            new Refuse(
                503,
                "busy, try again shortly",
                null,
                Map.of("Retry-After", BUSY_RETRY_AFTER_SECONDS)));
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

    private void tooLarge(Request request, Response response, Callback done) {
      // The rest of the body is not read: the connection cannot carry another request.
      refuse(
          request,
          response,
          done,
          new Refuse(
              413,
              "request body is larger than " + limits.maxBodyBytes() + " bytes",
              null,
              Map.of(HttpHeader.CONNECTION.asString(), "close")));
    }

    /** Answers on this thread, in the port's error shape. */
    private void refuse(Request request, Response response, Callback done, Refuse refusal) {
      deadlines.requestRead(request.getConnectionMetaData().getConnection());
      byte[] bytes =
          dialect
              .errors()
              .json(refusal.status(), refusal.reason(), refusal.field())
              .getBytes(StandardCharsets.UTF_8);
      refusal.headers().forEach(response.getHeaders()::put);
      response.setStatus(refusal.status());
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, dialect.errorContentType());
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
      response.write(true, ByteBuffer.wrap(bytes), done);
    }

    /** {@code callback}, and the connection's next request put under its read deadline. */
    private Callback answered(Request request, Response response, Callback callback) {
      var connection = request.getConnectionMetaData().getConnection();
      long started = System.nanoTime();
      return Callback.from(
          () -> {
            inFlight.decrementAndGet();
            timed(request, response.getStatus(), started);
            deadlines.awaitRequest(connection);
            callback.succeeded();
          },
          failure -> {
            inFlight.decrementAndGet();
            timed(request, response.isCommitted() ? response.getStatus() : 500, started);
            callback.failed(failure);
          });
    }

    private void timed(Request request, int status, long started) {
      try {
        timing.answered(
            request.getHttpURI().getPath(),
            request.getMethod(),
            status,
            System.nanoTime() - started);
      } catch (RuntimeException e) {
        // Metrics never fail a request.
        LOG.debug("request timing failed: {}", e.toString());
      }
    }
  }
}
