package io.optin.audit.tools;

import com.sun.net.httpserver.HttpExchange;
import io.optin.kit.http.HttpExchanges;
import io.optin.kit.http.HttpRoute;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/consent/{phone}}: the consent history of a phone as compliance exports it, JSON by
 * default, {@code ?format=text} or {@code ?format=html} for the readable proof; 404 when the ledger
 * holds nothing for it.
 */
public final class ConsentRoute {

  public static final String PATH = "/v1/consent/";
  private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");
  private static final Logger LOG = LoggerFactory.getLogger(ConsentRoute.class);

  private ConsentRoute() {}

  public static HttpRoute route(ConsentExports exports) {
    return new HttpRoute(
        PATH,
        exchange -> {
          try (exchange) {
            handle(exports, exchange);
          }
        });
  }

  private static void handle(ConsentExports exports, HttpExchange exchange) throws IOException {
    if (!HttpExchanges.acceptsMethod(exchange, "GET")) {
      return;
    }
    // getPath() is percent-decoded and keeps '+' (a query-style decoder would turn it into a
    // space).
    String phone = exchange.getRequestURI().getPath().substring(PATH.length());
    if (!E164.matcher(phone).matches()) {
      HttpExchanges.sendError(exchange, 400, "phone must be in E.164, e.g. +14155550123", "phone");
      return;
    }
    Optional<Map<String, String>> query = HttpExchanges.acceptsQuery(exchange);
    if (query.isEmpty()) {
      return;
    }
    String format = query.get().getOrDefault("format", "json");
    if (!format.equals("json") && !format.equals("text") && !format.equals("html")) {
      HttpExchanges.sendError(exchange, 400, "format is json, text or html", "format");
      return;
    }
    ConsentExport export;
    try {
      export = exports.export(phone);
    } catch (TimeoutException | KafkaException e) {
      LOG.warn("consent export unavailable: {}", e.toString());
      HttpExchanges.sendError(exchange, 503, "the ledger cannot be read right now", null);
      return;
    }
    if (export.isEmpty()) {
      HttpExchanges.sendError(exchange, 404, "no consent record for this phone", "phone");
      return;
    }
    // The proof is personal data rendered from values a signup chose: never sniffed as another
    // type, never able to run a script or load anything, never framed.
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange
        .getResponseHeaders()
        .set(
            "Content-Security-Policy",
            ConsentExportDocument.CONTENT_SECURITY_POLICY + "; frame-ancestors 'none'");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    switch (format) {
      case "text" ->
          HttpExchanges.send(
              exchange,
              200,
              "text/plain; charset=utf-8",
              ConsentExportDocument.text(export).getBytes(StandardCharsets.UTF_8));
      case "html" ->
          HttpExchanges.send(
              exchange,
              200,
              "text/html; charset=utf-8",
              ConsentExportDocument.html(export).getBytes(StandardCharsets.UTF_8));
      default -> HttpExchanges.sendJson(exchange, 200, ConsentExportJson.toJson(export));
    }
  }
}
