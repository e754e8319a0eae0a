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
 * {@code GET /health/ready}: 200 when every started service is ready, else 503 naming those that
 * are not, with each service's state: {@code {"ready":false,"reason":"not ready:
 * replies","services":[{"name":"replies","ready":false,"state":"REBALANCING"}]}}.
 *
 * <p>{@code GET /health/ready/{service}}: the same for one service, whatever the others do, so a
 * load balancer routing to one service's paths only waits for that one: {@code
 * {"name":"ingest","ready":true,"state":"RUNNING"}}, 200 or 503; 404 for a service the process does
 * not run.
 */
final class Readiness implements HttpHandler {

  static final String PATH = "/health/ready";

  private final Supplier<List<ServiceHealth>> services;

  /**
   * @param services the services of the process, null while they are starting
   */
  Readiness(Supplier<List<ServiceHealth>> services) {
    this.services = services;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String service = path.length() > PATH.length() + 1 ? path.substring(PATH.length() + 1) : null;
    if (service != null && service.endsWith("/")) {
      service = service.substring(0, service.length() - 1);
    }
    if (service == null) {
      if (path.equals(PATH) || path.equals(PATH + "/")) {
        process(exchange);
      } else {
        HttpExchanges.sendError(exchange, 404, "no such resource", null);
      }
      return;
    }
    one(exchange, service);
  }

  private void process(HttpExchange exchange) throws IOException {
    List<ServiceHealth> current = services.get();
    ObjectNode body = HttpExchanges.JSON.createObjectNode();
    if (current == null) {
      body.put("ready", false).put("reason", "services are starting");
      HttpExchanges.sendJson(exchange, 503, body);
      return;
    }
    // Each service is asked once, so the answer and the list agree.
    List<Boolean> ready = current.stream().map(ServiceHealth::ready).toList();
    List<String> waiting =
        IntStream.range(0, current.size())
            .filter(i -> !ready.get(i))
            .mapToObj(i -> current.get(i).name())
            .toList();
    boolean allReady = waiting.isEmpty();
    body.put("ready", allReady);
    if (!allReady) {
      body.put("reason", "not ready: " + String.join(", ", waiting));
    }
    ArrayNode list = body.putArray("services");
    for (int i = 0; i < current.size(); i++) {
      list.addObject()
          .put("name", current.get(i).name())
          .put("ready", ready.get(i))
          .put("state", current.get(i).state());
    }
    HttpExchanges.sendJson(exchange, allReady ? 200 : 503, body);
  }

  private void one(HttpExchange exchange, String name) throws IOException {
    List<ServiceHealth> current = services.get();
    ObjectNode body = HttpExchanges.JSON.createObjectNode().put("name", name);
    if (current == null) {
      // The service may well be among those starting: a 404 now would tell a balancer it never
      // will be.
      body.put("ready", false).put("reason", "services are starting");
      HttpExchanges.sendJson(exchange, 503, body);
      return;
    }
    ServiceHealth service =
        current.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    if (service == null) {
      HttpExchanges.sendError(
          exchange,
          404,
          "this process runs no service named '"
              + name
              + "' (it runs "
              + String.join(", ", current.stream().map(ServiceHealth::name).toList())
              + ")",
          null);
      return;
    }
    boolean ready = service.ready();
    body.put("ready", ready).put("state", service.state());
    HttpExchanges.sendJson(exchange, ready ? 200 : 503, body);
  }
}
