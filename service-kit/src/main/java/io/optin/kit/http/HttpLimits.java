package io.optin.kit.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What one client may take of the HTTP port: the request threads shared by all, connections, time
 * to send a request, idle time, and request body size.
 *
 * @param threads threads running the services' handlers (webhooks and {@code /v1/verifications}
 *     hold one while they wait for an outcome)
 * @param maxConnections open connections beyond which new ones wait in the accept backlog
 * @param readTimeout time a client has to send a whole request, from connecting or from its
 *     previous answer
 * @param idleTimeout time a connection may stay without any byte moving, e.g. a client that does
 *     not read its answer
 * @param maxBodyBytes request bodies above this are answered 413 without being read
 */
public record HttpLimits(
    int threads, int maxConnections, Duration readTimeout, Duration idleTimeout, int maxBodyBytes) {

  public static final int DEFAULT_MAX_CONNECTIONS = 2_000;
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  public HttpLimits {
    if (threads < 1 || maxConnections < 1 || maxBodyBytes < 1) {
      throw new IllegalArgumentException(
          "threads, connections and body size must be positive: "
              + threads
              + ", "
              + maxConnections
              + ", "
              + maxBodyBytes);
    }
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
  }

  /** The defaults of the settings, with {@code threads} request threads. */
  public static HttpLimits withThreads(int threads) {
    return new HttpLimits(
        threads,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_READ_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT,
        HttpExchanges.MAX_BODY_BYTES);
  }
}
