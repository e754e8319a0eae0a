package io.optin.server;

import io.optin.kit.config.Setting;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks, before anything starts, that a port from the settings is free, so that a taken port gives
 * one clear sentence instead of a stack trace from deep inside the broker.
 */
public final class ListeningPorts {

  private ListeningPorts() {}

  /**
   * @throws PortInUseException naming the port, the setting that chose it and how to pick another
   *     one
   */
  public static void requireFree(String host, int port, Setting<Integer> setting) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      throw new PortInUseException(
          host
              + ":"
              + port
              + " ("
              + setting.key()
              + ") is already in use: another optin "
              + "dev or Kafka may be running. Stop it, or choose another port with "
              + setting.environmentVariable()
              + "=<port> or "
              + setting.key()
              + " in the --config file.");
    }
  }
}
