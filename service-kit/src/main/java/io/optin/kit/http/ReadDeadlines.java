package io.optin.kit.http;

import io.optin.kit.threads.NamedThreads;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client must send a whole request (line, headers and body) within {@code http.read.timeout} of
 * connecting or of its previous answer, or its connection is closed.
 *
 * <p>An idle timeout alone does not stop a client that trickles one byte every few seconds (a
 * slowloris): it would keep a connection slot for hours. The deadline is cleared while the request
 * is handled, so a handler that waits for an outcome is never cut short.
 */
final class ReadDeadlines implements Connection.Listener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReadDeadlines.class);
  private static final long NONE = Long.MAX_VALUE;
  private static final long SWEEP_MILLIS = 250;

  private final long timeoutNanos;
  private final Map<Connection, Long> deadlines = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(NamedThreads.daemons("optin-http-deadlines-"));

  ReadDeadlines(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
    sweeper.scheduleWithFixedDelay(
        this::closeLate, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onOpened(Connection connection) {
    awaitRequest(connection);
  }

  @Override
  public void onClosed(Connection connection) {
    deadlines.remove(connection);
  }

  /** The connection's request has arrived whole: no deadline while it is handled. */
  void requestRead(Connection connection) {
    deadlines.computeIfPresent(connection, (c, deadline) -> NONE);
  }

  /** The connection's answer is out: its next request must arrive in time. */
  void awaitRequest(Connection connection) {
    deadlines.put(connection, System.nanoTime() + timeoutNanos);
  }

  private void closeLate() {
    long now = System.nanoTime();
    int closed = 0;
    for (Map.Entry<Connection, Long> entry : deadlines.entrySet()) {
      long deadline = entry.getValue();
      if (deadline != NONE && deadline - now < 0 && deadlines.remove(entry.getKey(), deadline)) {
        entry.getKey().getEndPoint().close();
        closed++;
      }
    }
    if (closed > 0) {
      LOG.debug("closed {} connections that did not send a whole request in time", closed);
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
