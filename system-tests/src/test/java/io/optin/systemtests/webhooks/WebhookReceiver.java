package io.optin.systemtests.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntBiFunction;

/**
 * A platform's webhook endpoint on the loopback: records every request as it arrived and answers
 * with the status its script gives for the n-th attempt (1 for the first) of an event id.
 */
final class WebhookReceiver implements AutoCloseable {

  /** One request as received. */
  record Received(
      long receivedAtMillis, String signature, String eventId, String contentType, byte[] body) {
    JsonNode json() {
      try {
        return new ObjectMapper().readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    String id() {
      return json().get("id").asText();
    }
  }

  private final HttpServer server;
  private final List<Received> received = new ArrayList<>();
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

  WebhookReceiver(String path, ToIntBiFunction<String, Integer> script) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        path,
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          String id = exchange.getRequestHeaders().getFirst("Optin-Event-Id");
          synchronized (received) {
            received.add(
                new Received(
                    System.currentTimeMillis(),
                    exchange.getRequestHeaders().getFirst("Optin-Signature"),
                    id,
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    body));
          }
          int attempt = attempts.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
          byte[] answer = "ok".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(script.applyAsInt(id, attempt), answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** The requests that were acknowledged (the last attempt of each id, when it got a 2xx). */
  List<Received> of(String eventId) {
    return received().stream().filter(r -> eventId.equals(r.eventId())).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
