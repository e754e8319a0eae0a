package io.optin.devkit.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/** Test client: real HTTP calls to a registry, answers parsed as JSON when they are JSON. */
final class RegistryHttp {

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One answer: status, Content-Type header, raw body and the body as JSON (null if not JSON). */
  record Reply(int status, String contentType, String body, JsonNode json) {
    int errorCode() {
      return json.path("error_code").asInt();
    }

    String message() {
      return json.path("message").asText();
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;

  RegistryHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  Reply get(String path) {
    return send("GET", path, null, null);
  }

  Reply post(String path, String body) {
    return send("POST", path, body, CONTENT_TYPE);
  }

  Reply put(String path, String body) {
    return send("PUT", path, body, CONTENT_TYPE);
  }

  /** A POST whose body is sent in chunks, without a declared length. */
  Reply postChunked(String path, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return sendPublished(
        "POST",
        path,
        HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)),
        CONTENT_TYPE);
  }

  /**
   * A POST that declares a body of {@code declaredLength} bytes but sends only its head, then reads
   * the answer: a server that refuses by the declared length answers without the body, and no body
   * still in flight can make it reset the connection before its answer is read.
   */
  Reply postHeadOnly(String path, long declaredLength) {
    URI uri = URI.create(baseUrl + path);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST "
                  + uri.getRawPath()
                  + " HTTP/1.1\r\nHost: "
                  + uri.getHost()
                  + ":"
                  + uri.getPort()
                  + "\r\nContent-Type: "
                  + CONTENT_TYPE
                  + "\r\nContent-Length: "
                  + declaredLength
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return readAnswer(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Status, Content-Type and body (up to its Content-Length) of one HTTP/1.1 answer. */
  private static Reply readAnswer(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after: " + head);
      }
      head.append((char) b);
    }
    String[] lines = head.toString().split("\r\n");
    int status = Integer.parseInt(lines[0].substring(9, 12));
    String contentType = "";
    int length = 0;
    for (String line : lines) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).strip());
      } else if (lower.startsWith("content-type:")) {
        contentType = line.substring("content-type:".length()).strip();
      }
    }
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    return new Reply(status, contentType, body, parseOrNull(body));
  }

  Reply send(String method, String path, String body, String contentType) {
    return sendPublished(
        method,
        path,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body),
        contentType);
  }

  private Reply sendPublished(
      String method, String path, HttpRequest.BodyPublisher body, String contentType) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, body);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body(),
          parseOrNull(response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A register/lookup/compatibility body carrying {@code schema} as a string, as clients send it.
   */
  static String schemaBody(String schema) {
    return JSON.createObjectNode().put("schema", schema).toString();
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static JsonNode parseOrNull(String body) {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
