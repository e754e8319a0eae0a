package io.optin.replies.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.optin.kit.http.HttpExchanges;
import io.optin.replies.lookup.LookupUnavailableException;
import io.optin.replies.lookup.StatusLookup;
import io.optin.replies.matching.ProgramStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/subscribers/{phone}?programId=}: the phone's status for that program, or for every
 * program it is known to when no program is given; 404 when nothing is known.
 */
public final class SubscriberQueryHandler implements HttpHandler {

  public static final String PATH = "/v1/subscribers/";
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  private final StatusLookup statuses;

  public SubscriberQueryHandler(StatusLookup statuses) {
    this.statuses = statuses;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        HttpExchanges.sendError(exchange, 405, "GET only", null);
        return;
      }
      // getPath() is decoded: "%2B1415..." arrives as "+1415...".
      String phone = exchange.getRequestURI().getPath().substring(PATH.length());
      if (!E164.matcher(phone).matches()) {
        HttpExchanges.sendError(
            exchange, 400, "phone must be in E.164 format, e.g. %2B14155550100", "phone");
        return;
      }
      Optional<Map<String, String>> query = HttpExchanges.acceptsQuery(exchange);
      if (query.isEmpty()) {
        return;
      }
      String programId = query.get().get("programId");
      Map<String, ProgramStatus> known;
      try {
        known = statuses.statuses(phone);
      } catch (LookupUnavailableException e) {
        exchange.getResponseHeaders().set("Retry-After", "1");
        HttpExchanges.sendError(
            exchange, 503, "statuses are not available yet; retry shortly", null);
        return;
      }
      if (programId != null && !programId.isBlank()) {
        ProgramStatus status = known.get(programId);
        if (status == null) {
          HttpExchanges.sendError(exchange, 404, "no status for this phone and program", null);
          return;
        }
        HttpExchanges.sendJson(exchange, 200, json(phone, programId, status));
        return;
      }
      if (known.isEmpty()) {
        HttpExchanges.sendError(exchange, 404, "no status for this phone", null);
        return;
      }
      ObjectNode body = HttpExchanges.JSON.createObjectNode().put("phone", phone);
      ArrayNode programs = body.putArray("programs");
      known.forEach((program, status) -> programs.add(json(phone, program, status)));
      HttpExchanges.sendJson(exchange, 200, body);
    }
  }

  private static ObjectNode json(String phone, String programId, ProgramStatus status) {
    return HttpExchanges.JSON
        .createObjectNode()
        .put("phone", phone)
        .put("programId", programId)
        .put("status", status.status().name())
        .put("challengeId", status.challengeId())
        .put("reason", status.reason())
        .put("updatedAt", Instant.ofEpochMilli(status.updatedAt()).toString());
  }
}
