package io.optin.devkit.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes the sandbox's HTTP answers: JSON, Twilio errors, HTML, redirects. */
final class Responses {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Responses() {}

  static void json(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IOException("cannot write JSON", e);
    }
    send(exchange, status, "application/json; charset=utf-8", bytes);
  }

  /** {@code error} as Twilio's JSON error body. */
  static String errorJson(TwilioError error) {
    try {
      return JSON.writeValueAsString(error.json());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings and numbers is always JSON", e);
    }
  }

  static void error(HttpExchange exchange, TwilioError error) throws IOException {
    json(exchange, error.httpStatus(), error.json());
  }

  static void html(HttpExchange exchange, int status, String html, String contentSecurityPolicy)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Security-Policy", contentSecurityPolicy);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  static void text(HttpExchange exchange, int status, String text) throws IOException {
    send(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  static void seeOther(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(303, -1);
    exchange.close();
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
