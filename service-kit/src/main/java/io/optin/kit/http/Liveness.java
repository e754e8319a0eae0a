package io.optin.kit.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.optin.kit.health.ServiceHealth;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * {@code GET /health/live}: 503 when a service of the process is dead for good (only a restart
 * brings it back), naming it: {@code {"live":false,"reason":"dead for good:
 * audit","dead":["audit"],"services":[{"name":"audit","live":false,"state":"ERROR"}]}}; else 200
 * with the same shape. A process whose services are still starting is live.
 */
final class Liveness implements HttpHandler {

  private final Supplier<List<ServiceHealth>> services;

  /**
   * @param services the services of the process, null while they are starting
   */
  Liveness(Supplier<List<ServiceHealth>> services) {
    this.services = services;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    List<ServiceHealth> current = services.get();
    ObjectNode body = HttpExchanges.JSON.createObjectNode();
    if (current == null) {
      body.put("live", true).put("reason", "services are starting");
      HttpExchanges.sendJson(exchange, 200, body);
      return;
    }
    List<Boolean> live = current.stream().map(ServiceHealth::live).toList();
    List<String> dead =
        IntStream.range(0, current.size())
            .filter(i -> !live.get(i))
            .mapToObj(i -> current.get(i).name())
            .toList();
    body.put("live", dead.isEmpty());
    if (!dead.isEmpty()) {
      body.put("reason", "dead for good: " + String.join(", ", dead));
      ArrayNode names = body.putArray("dead");
      dead.forEach(names::add);
    }
    ArrayNode list = body.putArray("services");
    for (int i = 0; i < current.size(); i++) {
      list.addObject()
          .put("name", current.get(i).name())
          .put("live", live.get(i))
          .put("state", current.get(i).state());
    }
    HttpExchanges.sendJson(exchange, dead.isEmpty() ? 200 : 503, body);
  }
}
