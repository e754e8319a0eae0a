package io.optin.server;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.kit.config.ProcessSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ListeningPortsTest {

  @Test
  void shouldNameTheSettingAndTheVariableWhenAPortIsTaken() throws IOException {
    // Given a port held by someone else
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();

      // When / Then
      assertThatThrownBy(
              () -> ListeningPorts.requireFree("127.0.0.1", port, ProcessSettings.HTTP_PORT))
          .isInstanceOf(PortInUseException.class)
          .hasMessageStartingWith("127.0.0.1:" + port + " (http.port) is already in use")
          .hasMessageContaining("OPTIN_HTTP_PORT=<port>");
    }
  }

  @Test
  void shouldAcceptAFreePortAndPortZero() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    assertThatCode(() -> ListeningPorts.requireFree("127.0.0.1", port, ProcessSettings.HTTP_PORT))
        .doesNotThrowAnyException();
    assertThatCode(() -> ListeningPorts.requireFree("127.0.0.1", 0, ProcessSettings.HTTP_PORT))
        .doesNotThrowAnyException();
  }
}
