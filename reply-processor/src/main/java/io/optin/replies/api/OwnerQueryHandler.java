package io.optin.replies.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.optin.domain.otp.OtpCodes;
import io.optin.kit.http.HttpExchanges;
import io.optin.kit.streams.KeyOwners;
import io.optin.kit.streams.KeyOwners.Local;
import io.optin.replies.lookup.LookupUnavailableException;
import io.optin.replies.lookup.OutcomeWait;
import io.optin.replies.lookup.RoutedLookups;
import io.optin.replies.lookup.StoreLookups;
import io.optin.replies.matching.Outcome;
import io.optin.replies.matching.ProgramStatus;
import io.optin.replies.matching.ReplyStores;
import io.optin.replies.matching.SettledCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The internal routes another instance asks when this one owns a phone's partition (see {@link
 * RoutedLookups}): {@code GET /internal/v1/outcomes/{id}?phone=&waitMillis=[&programId=&codeHash=]}
 * (200 the outcome's text, for a code attempt also ALREADY_CONFIRMED as soon as its code is
 * settled; 204 not decided within the wait) and {@code GET /internal/v1/statuses/{phone}} (200 the
 * statuses as JSON) and {@code GET /internal/v1/settled-codes/{phone}?programId=&codeHash=} (200
 * the outcome a code entry is bound to get, 204 none settled). Answered from this instance's stores
 * only, never forwarded again: 503 with {@code Retry-After} when this instance does not own the
 * phone (any more).
 */
public final class OwnerQueryHandler implements HttpHandler {

  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  /** Message sids and attempt ids (UUIDs): letters, digits and dashes. */
  private static final Pattern ANSWER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final KeyOwners owners;
  private final StoreLookups local;
  private final OutcomeWait waits;
  private final OtpCodes codes;
  private final Duration max;

  /**
   * @param waits waits for this instance's outcomes, bounded apart from the public routes' waits
   * @param max the longest wait a caller may ask ({@code replies.answer.wait})
   */
  public OwnerQueryHandler(
      KeyOwners owners, StoreLookups local, OutcomeWait waits, OtpCodes codes, Duration max) {
    this.owners = owners;
    this.local = local;
    this.waits = waits;
    this.codes = codes;
    this.max = max;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!HttpExchanges.acceptsMethod(exchange, "GET")) {
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (path.startsWith(RoutedLookups.OUTCOMES_PATH)) {
        outcome(exchange, path.substring(RoutedLookups.OUTCOMES_PATH.length()));
      } else if (path.startsWith(RoutedLookups.SETTLED_CODES_PATH)) {
        settledCode(exchange, path.substring(RoutedLookups.SETTLED_CODES_PATH.length()));
      } else if (path.startsWith(RoutedLookups.STATUSES_PATH)) {
        statuses(exchange, path.substring(RoutedLookups.STATUSES_PATH.length()));
      } else {
        HttpExchanges.sendError(exchange, 404, "no such resource", null);
      }
    }
  }

  private void outcome(HttpExchange exchange, String id) throws IOException {
    Optional<Map<String, String>> query = HttpExchanges.acceptsQuery(exchange);
    if (query.isEmpty()) {
      return;
    }
    String phone = query.get().getOrDefault("phone", "");
    if (!ANSWER_ID.matcher(id).matches() || !E164.matcher(phone).matches()) {
      HttpExchanges.sendError(exchange, 400, "an answer id and an E.164 phone are required", null);
      return;
    }
    Duration wait;
    try {
      wait = Duration.ofMillis(Long.parseLong(query.get().getOrDefault("waitMillis", "0")));
    } catch (NumberFormatException e) {
      HttpExchanges.sendError(exchange, 400, "waitMillis must be a number", "waitMillis");
      return;
    }
    if (!(owners.ownerOf(ReplyStores.OUTCOMES, phone) instanceof Local)) {
      notOwner(exchange);
      return;
    }
    Duration bounded = wait.isNegative() ? Duration.ZERO : wait.compareTo(max) > 0 ? max : wait;
    String programId = query.get().getOrDefault("programId", "");
    String codeHash = query.get().getOrDefault("codeHash", "");
    // A code attempt's wait ends as soon as its code is settled too; both or neither are sent.
    Optional<Outcome> outcome =
        programId.isEmpty() || codeHash.isEmpty()
            ? waits.await(id, bounded)
            : waits.awaitCode(phone, id, programId, codeHash, bounded);
    if (outcome.isEmpty()) {
      exchange.sendResponseHeaders(204, -1);
      return;
    }
    HttpExchanges.send(
        exchange,
        200,
        "text/plain; charset=utf-8",
        outcome.get().text().getBytes(StandardCharsets.UTF_8));
  }

  private void settledCode(HttpExchange exchange, String phone) throws IOException {
    Optional<Map<String, String>> query = HttpExchanges.acceptsQuery(exchange);
    if (query.isEmpty()) {
      return;
    }
    String programId = query.get().getOrDefault("programId", "");
    String codeHash = query.get().getOrDefault("codeHash", "");
    if (!E164.matcher(phone).matches() || programId.isEmpty() || codeHash.isEmpty()) {
      HttpExchanges.sendError(
          exchange, 400, "an E.164 phone, a programId and a codeHash are required", null);
      return;
    }
    if (!(owners.ownerOf(ReplyStores.CHALLENGES, phone) instanceof Local here)) {
      notOwner(exchange);
      return;
    }
    Optional<Outcome> settled;
    try {
      settled =
          SettledCodes.alreadyConfirmed(
              local.challenges(phone, here.partition()), codes, programId, codeHash);
    } catch (LookupUnavailableException e) {
      HttpExchanges.sendUnavailable(exchange, 1, "challenges are not available here now");
      return;
    }
    if (settled.isEmpty()) {
      exchange.sendResponseHeaders(204, -1);
      return;
    }
    HttpExchanges.send(
        exchange,
        200,
        "text/plain; charset=utf-8",
        settled.get().text().getBytes(StandardCharsets.UTF_8));
  }

  private void statuses(HttpExchange exchange, String phone) throws IOException {
    if (!E164.matcher(phone).matches()) {
      HttpExchanges.sendError(exchange, 400, "phone must be in E.164 format", "phone");
      return;
    }
    if (!(owners.ownerOf(ReplyStores.SUBSCRIBER_STATUS, phone) instanceof Local here)) {
      notOwner(exchange);
      return;
    }
    Map<String, ProgramStatus> statuses;
    try {
      statuses = local.statuses(phone, here.partition());
    } catch (LookupUnavailableException e) {
      HttpExchanges.sendUnavailable(exchange, 1, "statuses are not available here now");
      return;
    }
    HttpExchanges.send(exchange, 200, "application/json", RoutedLookups.statusesJson(statuses));
  }

  private static void notOwner(HttpExchange exchange) throws IOException {
    HttpExchanges.sendUnavailable(exchange, 1, "this instance does not own the phone now");
  }
}
