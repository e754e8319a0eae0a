package io.optin.kit.http;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reading requests and writing JSON answers through the JDK's {@code HttpExchange}, with bounded
 * bodies.
 */
public final class HttpExchanges {

  /** Bodies above this size are refused (413) before they are parsed. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /**
   * Writes answers and reads bodies strictly: content after the JSON value ({@code {...} x}, {@code
   * {...}}}) and a key given twice are refused, so that what is published is what was sent.
   */
  public static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private HttpExchanges() {}

  /**
   * Reads the request body, or throws {@link BodyTooLargeException} past {@link #MAX_BODY_BYTES}.
   */
  public static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new BodyTooLargeException();
      }
      return body;
    }
  }

  /**
   * Parses an {@code application/x-www-form-urlencoded} body (the last value wins for a repeated
   * key), or throws {@link MalformedFormException} for a malformed %-escape.
   */
  public static Map<String, String> parseForm(byte[] body) {
    Map<String, String> form = new LinkedHashMap<>();
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isEmpty()) {
      return form;
    }
    for (String pair : text.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq), null);
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), key);
      form.put(key, value);
    }
    return form;
  }

  private static String decode(String text, String field) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new MalformedFormException(field);
    }
  }

  /**
   * Query parameters of the request URI, or throws {@link MalformedFormException} for a malformed
   * %-escape.
   */
  public static Map<String, String> query(HttpExchange exchange) {
    String raw = exchange.getRequestURI().getRawQuery();
    return raw == null ? new LinkedHashMap<>() : parseForm(raw.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Query parameters of the request URI; empty when the query is malformed, and then the request
   * has been answered 400 naming the parameter (or {@code query} when its name is malformed).
   */
  public static Optional<Map<String, String>> acceptsQuery(HttpExchange exchange)
      throws IOException {
    try {
      return Optional.of(query(exchange));
    } catch (MalformedFormException e) {
      sendError(exchange, 400, e.getMessage(), e.field());
      return Optional.empty();
    }
  }

  /**
   * Whether the request may go on: its path is exactly {@code path} (a trailing slash allowed) and
   * its method {@code method}. Otherwise it has been answered 404, or 405 with {@code Allow}, in
   * the JSON error shape.
   */
  public static boolean accepts(HttpExchange exchange, String path, String method)
      throws IOException {
    String actual = exchange.getRequestURI().getPath();
    if (!path.equals(actual) && !(path + "/").equals(actual)) {
      sendError(exchange, 404, "no such resource", null);
      return false;
    }
    return acceptsMethod(exchange, method);
  }

  /**
   * Whether the request's method is {@code method}; otherwise it has been answered 405 with {@code
   * Allow}.
   */
  public static boolean acceptsMethod(HttpExchange exchange, String method) throws IOException {
    if (!method.equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", method);
      sendError(exchange, 405, "use " + method, null);
      return false;
    }
    return true;
  }

  public static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
    send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
  }

  /** The error shape of the API (README, "HTTP API"): {@code {"error": reason, "field": field}}. */
  public static void sendError(HttpExchange exchange, int status, String reason, String field)
      throws IOException {
    ObjectNode body = JSON.createObjectNode().put("error", reason);
    if (field != null) {
      body.put("field", field);
    }
    sendJson(exchange, status, body);
  }

  /**
   * 503 with {@code Retry-After: seconds}: the answer cannot be given right now (its owner is not
   * known, a rebalance), and a retry shortly will get it.
   */
  public static void sendUnavailable(HttpExchange exchange, int retryAfterSeconds, String reason)
      throws IOException {
    exchange.getResponseHeaders().set("Retry-After", Integer.toString(retryAfterSeconds));
    sendError(exchange, 503, reason, null);
  }

  public static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Thrown when form or query text holds a malformed %-escape. */
  public static final class MalformedFormException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    /**
     * @param field the parameter whose value is malformed, or null when a name is
     */
    public MalformedFormException(String field) {
      super(
          (field == null ? "a parameter name" : field)
              + " holds a malformed %-escape (% must be followed by two hex digits)");
      this.field = field;
    }

    /** The parameter at fault, or {@code query} when its name itself is malformed. */
    public String field() {
      return field == null ? "query" : field;
    }
  }

  /** Thrown when a request body is over {@link #MAX_BODY_BYTES}. */
  public static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    public BodyTooLargeException() {
      super("request body is larger than " + MAX_BODY_BYTES + " bytes");
    }
  }
}
