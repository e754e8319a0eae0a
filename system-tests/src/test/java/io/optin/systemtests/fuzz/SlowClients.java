package io.optin.systemtests.fuzz;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Connections that trickle their request a byte at a time, as a slow or hostile client does: half
 * never finish their headers, half announce a body and send it a byte a second (on a webhook, whose
 * body is read before its signature is checked).
 */
final class SlowClients implements AutoCloseable {

  private final int port;
  private final String host;
  private final List<Socket> sockets = new ArrayList<>();
  private final ScheduledExecutorService trickler =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "fuzz-slow-clients");
            thread.setDaemon(true);
            return thread;
          });
  private int refused;
  private int closedByServer;

  SlowClients(int port) {
    this.port = port;
    this.host = "127.0.0.1:" + port;
    trickler.scheduleWithFixedDelay(this::trickle, 1, 1, TimeUnit.SECONDS);
  }

  /** Opens connections until {@code total} are open (or were refused). */
  synchronized void openUpTo(int total) {
    while (sockets.size() + refused < total) {
      boolean headers = (sockets.size() + refused) % 2 == 0;
      String start =
          headers
              ? "POST /v1/signups HTTP/1.1\r\nHost: " + host + "\r\nX-Slow: "
              : "POST /webhooks/twilio/inbound HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                  + "Content-Length: 60000\r\n\r\nBody=";
      try {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        socket.getOutputStream().write(start.getBytes(StandardCharsets.ISO_8859_1));
        sockets.add(socket);
      } catch (IOException e) {
        refused++;
      }
    }
  }

  synchronized int open() {
    return sockets.size();
  }

  synchronized int refused() {
    return refused;
  }

  synchronized int closedByServer() {
    return closedByServer;
  }

  private synchronized void trickle() {
    for (Socket socket : sockets) {
      if (socket.isClosed()) {
        continue;
      }
      try {
        OutputStream out = socket.getOutputStream();
        out.write('a');
        out.flush();
      } catch (IOException e) {
        closedByServer++;
        try {
          socket.close();
        } catch (IOException ignored) {
          // closed either way
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    trickler.shutdownNow();
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    sockets.clear();
  }
}
