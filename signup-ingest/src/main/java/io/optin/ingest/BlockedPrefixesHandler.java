package io.optin.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.optin.kit.http.HttpExchanges;
import io.optin.kit.http.HttpRoute;
import java.io.IOException;

/**
 * {@code GET /v1/limits/blocked}, read-only: the number prefixes this instance's {@link
 * PumpingGuard} blocks now, as a JSON list of {@code {"prefix","until","sends","confirmed"}} sorted
 * by prefix ({@code []} when none).
 */
public final class BlockedPrefixesHandler implements HttpHandler {

  public static final String PATH = "/v1/limits/blocked";

  private final PumpingGuard guard;

  public BlockedPrefixesHandler(PumpingGuard guard) {
    this.guard = guard;
  }

  /** The route to mount on the application's HTTP server. */
  public HttpRoute route() {
    return new HttpRoute(PATH, this);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!HttpExchanges.accepts(exchange, PATH, "GET")) {
        return;
      }
      ArrayNode blocked = HttpExchanges.JSON.createArrayNode();
      for (PumpingGuard.Block block : guard.blocked()) {
        blocked
            .addObject()
            .put("prefix", block.prefix())
            .put("until", block.until().toString())
            .put("sends", block.sends())
            .put("confirmed", block.confirmed());
      }
      HttpExchanges.sendJson(exchange, 200, blocked);
    }
  }
}
