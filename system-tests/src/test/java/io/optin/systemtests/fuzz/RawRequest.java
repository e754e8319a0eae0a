package io.optin.systemtests.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP/1.1 request written byte by byte, so that generators can break any part of it: the
 * request line, a header, the framing or the body. By default it is well formed: Host, Connection:
 * close and a Content-Length matching the body.
 */
final class RawRequest {

  private String requestLine;
  private final List<String> headers = new ArrayList<>();
  private byte[] body = new byte[0];
  private boolean contentLength = true;
  private byte[] trailing = new byte[0];

  private RawRequest(String requestLine) {
    this.requestLine = requestLine;
  }

  static RawRequest of(String method, String target, String host) {
    RawRequest request = new RawRequest(method + " " + target + " HTTP/1.1");
    request.header("Host", host);
    request.header("Connection", "close");
    return request;
  }

  /** A request whose first line is exactly {@code line} (no Host, no framing headers). */
  static RawRequest line(String line) {
    RawRequest request = new RawRequest(line);
    request.contentLength = false;
    return request;
  }

  RawRequest header(String name, String value) {
    headers.add(name + ": " + value);
    return this;
  }

  /** A header line written as is (which may be no header at all). */
  RawRequest headerLine(String line) {
    headers.add(line);
    return this;
  }

  RawRequest withoutHeader(String name) {
    headers.removeIf(h -> h.regionMatches(true, 0, name + ":", 0, name.length() + 1));
    return this;
  }

  RawRequest body(String text) {
    return body(text.getBytes(StandardCharsets.UTF_8));
  }

  RawRequest body(byte[] bytes) {
    this.body = bytes;
    return this;
  }

  RawRequest json(String text) {
    header("Content-Type", "application/json");
    return body(text);
  }

  /** No Content-Length header: the generator frames the body itself (or not at all). */
  RawRequest noContentLength() {
    this.contentLength = false;
    return this;
  }

  /** Bytes written after the request (a second, pipelined request, or garbage). */
  RawRequest trailing(byte[] bytes) {
    this.trailing = bytes;
    return this;
  }

  byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 512);
    StringBuilder head = new StringBuilder(requestLine).append("\r\n");
    headers.forEach(h -> head.append(h).append("\r\n"));
    if (contentLength && (body.length > 0 || !requestLine.startsWith("GET "))) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    out.writeBytes(trailing);
    return out.toByteArray();
  }
}
