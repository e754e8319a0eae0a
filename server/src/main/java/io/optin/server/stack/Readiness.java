package io.optin.server.stack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.optin.kit.http.HttpExchanges;
import java.io.IOException;
import java.util.List;

/**
 * {@code GET /health/ready}: 200 when every started service is ready, else 503 naming those that
 * are not, with each service's state: {@code
 * {"ready":false,"services":[{"name":"replies","ready":false,"state":"REBALANCING"}]}}.
 */
final class Readiness implements HttpHandler {

  private volatile List<RunningService> services;

  void watch(List<RunningService> watched) {
    this.services = watched;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    List<RunningService> current = services;
    ObjectNode body = HttpExchanges.JSON.createObjectNode();
    if (current == null) {
      body.put("ready", false).put("reason", "services are starting");
      HttpExchanges.sendJson(exchange, 503, body);
      return;
    }
    List<RunningService> waiting = current.stream().filter(service -> !service.isReady()).toList();
    boolean allReady = waiting.isEmpty();
    body.put("ready", allReady);
    if (!allReady) {
      body.put(
          "reason",
          "not ready: " + String.join(", ", waiting.stream().map(s -> s.name().word()).toList()));
    }
    ArrayNode list = body.putArray("services");
    for (RunningService service : current) {
      list.addObject()
          .put("name", service.name().word())
          .put("ready", !waiting.contains(service))
          .put("state", service.state());
    }
    HttpExchanges.sendJson(exchange, allReady ? 200 : 503, body);
  }
}
