package io.optin.dispatcher.sms;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on 127.0.0.1 speaking the part of Twilio's Messages API that creating a
 * message uses, with scripted answers (in order, the last one repeating) and a record of every
 * request received.
 */
public final class FakeTwilioApi implements AutoCloseable {

  public record Received(
      String method, String path, Map<String, List<String>> headers, Map<String, String> form) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private record Answer(int status, String body, boolean hang) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile Answer last = new Answer(500, "", false);

  public FakeTwilioApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The message is accepted ({@code queued}). */
  public FakeTwilioApi thenCreated(String sid) {
    return thenCreated(sid, "queued");
  }

  public FakeTwilioApi thenCreated(String sid, String status) {
    return then(
        201,
        """
                {"sid":"%s","status":"%s","account_sid":"%s","to":"+15551230001","from":"+15551230002",
                 "body":"hello","num_segments":"1","direction":"outbound-api","api_version":"2010-04-01",
                 "date_created":"Thu, 30 Jul 2015 20:12:31 +0000","uri":"/2010-04-01/Accounts/x/Messages/%s.json"}
                """
            .formatted(sid, status, "AC" + "0".repeat(32), sid));
  }

  public FakeTwilioApi thenError(int httpStatus, int code, String message) {
    return then(
        httpStatus,
        """
                {"code":%d,"message":"%s","more_info":"https://www.twilio.com/docs/errors/%d","status":%d}
                """
            .formatted(code, message, code, httpStatus));
  }

  public FakeTwilioApi then(int httpStatus, String body) {
    script.add(new Answer(httpStatus, body, false));
    return this;
  }

  /** Reads the request and never answers (until closed). */
  public FakeTwilioApi thenHang() {
    script.add(new Answer(0, "", true));
    return this;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** The form of every request received, in order. */
  public List<Map<String, String>> forms() {
    return received.stream().map(Received::form).toList();
  }

  public long posts() {
    return received.stream().filter(r -> r.method().equals("POST")).count();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            Map.copyOf(exchange.getRequestHeaders()),
            parseForm(body)));
    Answer answer = script.poll();
    if (answer == null) {
      answer = last;
    } else {
      last = answer;
    }
    if (answer.hang()) {
      try {
        released.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> parseForm(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return form;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.put(name, value);
    }
    return form;
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
