package io.optin.kit.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One HTTP answer as read off a raw socket, for tests that speak HTTP byte by byte. */
record RawAnswer(int status, String body) {

  /** The status and body of the next answer on {@code socket} (read up to its Content-Length). */
  static RawAnswer read(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after: " + head);
      }
      head.append((char) b);
    }
    int status = Integer.parseInt(head.substring(9, 12));
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    return new RawAnswer(status, new String(in.readNBytes(length), StandardCharsets.UTF_8));
  }
}
