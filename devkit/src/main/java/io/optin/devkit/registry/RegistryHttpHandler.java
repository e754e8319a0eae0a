package io.optin.devkit.registry;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.optin.kit.http.HttpExchanges;
import io.optin.kit.http.JsonFaults;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP plumbing of the registry: decodes the exchange into a {@link RegistryRequest}, answers in
 * Confluent's content type, and turns every refusal into Confluent's {@code
 * {"error_code","message"}} body. Its port refuses bodies above {@link #MAX_BODY_BYTES} (413)
 * before they are read; an unexpected failure is logged and answered 500 without its exception
 * text, and a malformed body is answered with a plain reason, never a parser's message.
 */
final class RegistryHttpHandler implements HttpHandler {

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  /** Well above any schema optin registers (a few KiB), and about what one Kafka record holds. */
  static final int MAX_BODY_BYTES = 1024 * 1024;

  private static final Set<String> ACCEPTED_BODY_TYPES =
      Set.of(
          CONTENT_TYPE,
          "application/vnd.schemaregistry+json",
          "application/json",
          "application/octet-stream");
  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);

  private final RegistryRoutes routes;
  private final ObjectMapper json;

  RegistryHttpHandler(RegistryRoutes routes, ObjectMapper json) {
    this.routes = routes;
    this.json = json;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    RegistryResponse response;
    try {
      byte[] body = readBody(exchange);
      response =
          routes.handle(
              new RegistryRequest(
                  exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                  segments(exchange.getRequestURI().getRawPath()),
                  query(exchange.getRequestURI().getRawQuery()),
                  () -> parse(body, exchange.getRequestHeaders().getFirst("Content-Type"))));
    } catch (RegistryException e) {
      response = error(e.status(), e.errorCode(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error(
          "Registry request {} {} failed",
          exchange.getRequestMethod(),
          exchange.getRequestURI(),
          e);
      // The exception text names internals (classes, topics, offsets): the log has it, the
      // client does not.
      response = error(500, 500, "Internal server error");
    }
    byte[] bytes = response.json().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.sendResponseHeaders(response.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private JsonNode parse(byte[] body, String contentType) {
    if (contentType != null) {
      String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (!ACCEPTED_BODY_TYPES.contains(mediaType)) {
        throw RegistryErrors.unsupportedMediaType(mediaType);
      }
    }
    if (body.length == 0) {
      throw RegistryErrors.unprocessable("the request needs a JSON body");
    }
    try {
      return json.readTree(body);
    } catch (JacksonException e) {
      throw RegistryErrors.malformedJson(JsonFaults.describe(body, e));
    } catch (IOException e) {
      LOG.debug("Registry request body unreadable", e);
      throw RegistryErrors.malformedJson("cannot read the request body");
    }
  }

  /** The body, which the registry's port has read whole within {@link #MAX_BODY_BYTES}. */
  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return in.readAllBytes();
    }
  }

  /** What the registry's port answers itself (a body above the cap...), in Confluent's shape. */
  static String refusedByPort(int status, String reason) {
    String message = status == 413 ? RegistryErrors.tooLarge(reason).getMessage() : reason;
    return HttpExchanges.JSON
        .createObjectNode()
        .put("error_code", status)
        .put("message", message)
        .toString();
  }

  /**
   * Path segments, each percent-decoded on its own so that an encoded '/' stays inside its subject.
   */
  private static List<String> segments(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String segment : rawPath.split("/")) {
      if (!segment.isEmpty()) {
        segments.add(decode(segment));
      }
    }
    return segments;
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        String[] parts = pair.split("=", 2);
        query.put(decode(parts[0]), parts.length > 1 ? decode(parts[1]) : "");
      }
    }
    return query;
  }

  private static String decode(String text) {
    // URLDecoder is a form decoder: a literal '+' in a path means '+', not a space.
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw RegistryErrors.notFound();
    }
  }

  private RegistryResponse error(int status, int errorCode, String message) {
    return new RegistryResponse(
        status,
        json.createObjectNode().put("error_code", errorCode).put("message", message).toString());
  }
}
