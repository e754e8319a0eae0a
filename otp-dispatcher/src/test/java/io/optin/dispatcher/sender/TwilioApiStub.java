package io.optin.dispatcher.sender;

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
 * A real HTTP server on 127.0.0.1 answering Twilio's "create message" call with scripted answers (in order, the
 * last one repeating), recording the form of every request.
 */
final class TwilioApiStub implements AutoCloseable {

  private record Answer(int status, String body, boolean hang) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Map<String, String>> forms = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Answer last = new Answer(500, "", false);

  TwilioApiStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  TwilioApiStub thenCreated(String sid) {
    script.add(new Answer(201, """
        {"sid":"%s","status":"queued","account_sid":"%s","to":"+14155550100","from":"+15005550006",
         "body":"(stub)","num_segments":"1","direction":"outbound-api","api_version":"2010-04-01",
         "date_created":"Sun, 01 Mar 2026 10:00:00 +0000","uri":"/2010-04-01/Accounts/x/Messages/%s.json"}
        """.formatted(sid, "AC" + "0".repeat(32), sid), false));
    return this;
  }

  TwilioApiStub thenError(int httpStatus, int code, String message) {
    script.add(new Answer(httpStatus, """
        {"code":%d,"message":"%s","more_info":"https://www.twilio.com/docs/errors/%d","status":%d}
        """.formatted(code, message, code, httpStatus), false));
    return this;
  }

  /** Takes the request and never answers (until closed): the client's read timeout fires. */
  TwilioApiStub thenHang() {
    script.add(new Answer(0, "", true));
    return this;
  }

  /** The form fields of every request received, in order. */
  List<Map<String, String>> requests() {
    return List.copyOf(forms);
  }

  private void handle(HttpExchange exchange) throws IOException {
    forms.add(parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
    Answer answer = script.poll();
    if (answer == null) {
      answer = last;
    } else {
      last = answer;
    }
    if (answer.hang()) {
      try {
        closed.await(30, TimeUnit.SECONDS);
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
    for (String pair : body.isEmpty() ? new String[0] : body.split("&")) {
      int eq = pair.indexOf('=');
      form.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return form;
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
