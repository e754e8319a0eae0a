package io.optin.devkit.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.optin.kit.http.HttpExchanges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's own pages: the message and call list ({@code GET /}), answering as a phone ({@code
 * POST /sandbox/reply}), pressing keys or hanging up during a call ({@code POST /sandbox/call}),
 * and every message and call as JSON for tools ({@code GET /sandbox/messages.json}, {@code
 * /sandbox/calls.json}).
 */
final class SandboxWeb implements HttpHandler {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final TwilioSandbox sandbox;
  private final MessageLog messages;
  private final CallLog calls;

  SandboxWeb(TwilioSandbox sandbox, MessageLog messages, CallLog calls) {
    this.sandbox = sandbox;
    this.messages = messages;
    this.calls = calls;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (path.equals("/") && method.equals("GET")) {
        page(exchange);
      } else if (path.equals("/sandbox/messages.json") && method.equals("GET")) {
        Responses.json(exchange, 200, Map.of("messages", allMessages()));
      } else if (path.equals("/sandbox/calls.json") && method.equals("GET")) {
        Responses.json(exchange, 200, Map.of("calls", allCalls()));
      } else if (path.equals("/sandbox/reply") && method.equals("POST")) {
        reply(exchange);
      } else if (path.equals("/sandbox/call") && method.equals("POST")) {
        call(exchange);
      } else {
        Responses.text(exchange, 404, "Not found: " + method + " " + path);
      }
    }
  }

  private void page(HttpExchange exchange) throws IOException {
    Map<String, String> query = FormData.parse(exchange.getRequestURI().getRawQuery());
    SandboxPage.Notice notice =
        query.containsKey("phone") && query.containsKey("notice")
            ? new SandboxPage.Notice(query.get("phone"), query.get("notice"))
            : null;
    byte[] nonceBytes = new byte[16];
    RANDOM.nextBytes(nonceBytes);
    String nonce = Base64.getEncoder().encodeToString(nonceBytes);
    String html =
        SandboxPage.render(
            messages.conversationsNewestFirst(),
            calls.newestFirst(),
            sandbox.baseUrl(),
            sandbox.accountSid(),
            sandbox.inboundWebhookUrl(),
            sandbox.deliveryScript(),
            notice,
            nonce);
    Responses.html(
        exchange,
        200,
        html,
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-"
            + nonce
            + "'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  }

  /** The posted form, or null when it has been answered with a refusal. */
  private static Map<String, String> pageForm(HttpExchange exchange, String what, String plural)
      throws IOException {
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (origin != null && host != null && !origin.equals("http://" + host)) {
      // A page of another site must not make a phone "answer" through the user's browser.
      Responses.text(exchange, 403, "Cross-origin " + plural + " are refused");
      return null;
    }
    try {
      return FormData.parse(new String(HttpExchanges.readBody(exchange), StandardCharsets.UTF_8));
    } catch (HttpExchanges.BodyTooLargeException e) {
      Responses.text(
          exchange,
          413,
          "The " + what + " is larger than " + HttpExchanges.MAX_BODY_BYTES + " bytes");
    } catch (IllegalArgumentException e) {
      Responses.text(exchange, 400, "The " + what + " is not a valid URL-encoded form");
    }
    return null;
  }

  private void call(HttpExchange exchange) throws IOException {
    Map<String, String> form = pageForm(exchange, "key press", "key presses");
    if (form == null) {
      return;
    }
    String sid = form.getOrDefault("sid", "");
    SandboxCall call = calls.find(sid).orElse(null);
    if (call == null) {
      Responses.text(exchange, 404, "No call " + sid);
      return;
    }
    String notice;
    if (form.containsKey("hangup")) {
      sandbox.hangUp(sid);
      notice = "Hung up";
    } else {
      String keys = form.getOrDefault("keys", "");
      try {
        WebhookAnswer answer = sandbox.press(sid, keys);
        notice = "Pressed " + keys + ": the voice webhook answered HTTP " + answer.status();
      } catch (IllegalArgumentException | IllegalStateException e) {
        notice = "Not pressed: " + e.getMessage();
      } catch (UncheckedIOException e) {
        notice = "Pressed, but the voice webhook failed: " + e.getCause().getMessage();
      }
    }
    Responses.seeOther(
        exchange,
        "/?phone="
            + urlEncode(call.to())
            + "&notice="
            + urlEncode(notice)
            + "#"
            + SandboxPage.callAnchor(sid));
  }

  private void reply(HttpExchange exchange) throws IOException {
    Map<String, String> form = pageForm(exchange, "reply", "replies");
    if (form == null) {
      return;
    }
    String phone = form.getOrDefault("phone", "");
    String to = form.getOrDefault("to", "");
    String body = form.getOrDefault("body", "");
    URI inbound = sandbox.inboundWebhookUrl();
    if (inbound == null) {
      Responses.text(exchange, 409, "No inbound webhook URL is configured: replies are off");
      return;
    }
    if (phone.isBlank() || to.isBlank() || body.isBlank()) {
      Responses.text(exchange, 400, "phone, to and body are required");
      return;
    }
    String notice;
    try {
      WebhookAnswer answer = sandbox.reply(phone, to, body, inbound);
      notice = "Reply posted: the inbound webhook answered HTTP " + answer.status();
    } catch (UncheckedIOException e) {
      notice = "Reply not posted: " + e.getCause().getMessage();
    }
    Responses.seeOther(
        exchange,
        "/?phone="
            + urlEncode(phone)
            + "&notice="
            + urlEncode(notice)
            + "#"
            + SandboxPage.anchor(phone));
  }

  private List<Map<String, Object>> allMessages() {
    List<SandboxMessage> all = new ArrayList<>();
    messages.conversationsNewestFirst().values().forEach(all::addAll);
    all.sort(Comparator.comparing(SandboxMessage::dateCreated).reversed());
    List<Map<String, Object>> json = new ArrayList<>();
    for (SandboxMessage m : all) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("sid", m.sid());
      item.put("direction", m.direction());
      item.put("from", m.from());
      item.put("to", m.to());
      item.put("body", m.body());
      item.put("status", m.status());
      item.put("errorCode", m.errorCode());
      item.put("numSegments", m.numSegments());
      item.put("dateCreated", m.dateCreated().toString());
      item.put("dateUpdated", m.dateUpdated().toString());
      json.add(item);
    }
    return json;
  }

  private List<Map<String, Object>> allCalls() {
    List<Map<String, Object>> json = new ArrayList<>();
    for (SandboxCall c : calls.newestFirst()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("sid", c.sid());
      item.put("from", c.from());
      item.put("to", c.to());
      item.put("status", c.status());
      item.put("spoken", c.spokenTexts());
      item.put("awaitingKeys", c.awaitingKeys());
      item.put("keys", c.keys());
      item.put("dateCreated", c.dateCreated().toString());
      item.put("dateUpdated", c.dateUpdated().toString());
      json.add(item);
    }
    return json;
  }

  private static String urlEncode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
