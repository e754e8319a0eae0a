package io.optin.devkit.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Port choices made before the broker binds: a free ephemeral port, or a clear refusal of a taken
 * one.
 */
final class LocalPorts {

  private LocalPorts() {}

  /**
   * Binds and releases an ephemeral port other than {@code avoid}. The controller needs its port
   * before start (the quorum voter list names it), so the tiny window in which another process
   * could take it is accepted.
   */
  static int free(String host, int avoid) {
    for (int attempt = 0; attempt < 10; attempt++) {
      try (ServerSocket socket = bind(host, 0)) {
        if (socket.getLocalPort() != avoid) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot find a free port on " + host, e);
      }
    }
    throw new IllegalStateException("Cannot find a free port on " + host);
  }

  /**
   * Fails with a message a person can act on when {@code port} is taken, instead of Kafka's fatal
   * log.
   */
  static void requireFree(String host, int port, String purpose) {
    try (ServerSocket ignored = bind(host, port)) {
      // free: released again at once
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot start the embedded Kafka broker: "
              + purpose
              + " port "
              + host
              + ":"
              + port
              + " is already in use (is another broker running?)",
          e);
    }
  }

  private static ServerSocket bind(String host, int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }
}
