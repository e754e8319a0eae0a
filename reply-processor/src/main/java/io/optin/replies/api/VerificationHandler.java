package io.optin.replies.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.optin.avro.VerificationAttempt;
import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.PhoneMask;
import io.optin.kit.http.HttpExchanges;
import io.optin.kit.http.JsonFaults;
import io.optin.kit.kafka.PublishException;
import io.optin.kit.kafka.RecordPublisher;
import io.optin.replies.lookup.OutcomeAnswers;
import io.optin.replies.matching.Outcome;
import io.optin.schemas.Topics;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/verifications {"phone","programId","code"}}: records the attempt (the code only
 * as its keyed hash) and answers with its outcome: 200 confirmed, 422 wrong code (attempts left),
 * 410 expired, 429 locked, 404 no challenge; 202 with the attempt id when the outcome is not
 * decided within the wait. A program outside {@code programs.allowed} (when set) is refused with
 * 400 before anything is recorded, as signups refuse it. The outcome comes from the instance that
 * owns the phone ({@link OutcomeAnswers}); while none is known (a rebalance) the attempt is refused
 * with 503 and {@code Retry-After} before it is recorded, so the retry is not a second attempt.
 */
public final class VerificationHandler implements HttpHandler {

  public static final String PATH = "/v1/verifications";
  private static final Logger LOG = LoggerFactory.getLogger(VerificationHandler.class);

  private final RecordPublisher publisher;
  private final OutcomeAnswers outcomes;
  private final OtpCodes codes;
  private final Set<String> allowedPrograms;
  private final Clock clock;
  private final Supplier<String> ids;

  public VerificationHandler(
      RecordPublisher publisher,
      OutcomeAnswers outcomes,
      OtpCodes codes,
      Set<String> allowedPrograms,
      Clock clock,
      Supplier<String> ids) {
    this.publisher = publisher;
    this.outcomes = outcomes;
    this.codes = codes;
    this.allowedPrograms = Set.copyOf(allowedPrograms);
    this.clock = clock;
    this.ids = ids;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!HttpExchanges.accepts(exchange, PATH, "POST")) {
        return;
      }
      byte[] bytes;
      try {
        bytes = HttpExchanges.readBody(exchange);
      } catch (HttpExchanges.BodyTooLargeException e) {
        HttpExchanges.sendError(exchange, 413, "request body too large", null);
        return;
      } catch (IOException e) {
        HttpExchanges.sendError(exchange, 400, "body could not be read", null);
        return;
      }
      JsonNode body;
      try {
        body = HttpExchanges.JSON.readTree(bytes);
      } catch (JacksonException e) {
        HttpExchanges.sendError(
            exchange, 400, "body is not valid JSON: " + JsonFaults.describe(bytes, e), null);
        return;
      }
      if (body == null || !body.isObject()) {
        HttpExchanges.sendError(exchange, 400, "body must be a JSON object", null);
        return;
      }
      VerificationRequest request;
      try {
        request = VerificationRequest.parse(body, codes.length());
      } catch (VerificationRequest.Invalid invalid) {
        HttpExchanges.sendError(exchange, 400, invalid.getMessage(), invalid.field());
        return;
      }
      // An undeclared program has no challenge to answer: refusing it keeps it off the topic.
      if (!allowedPrograms.isEmpty() && !allowedPrograms.contains(request.programId())) {
        HttpExchanges.sendError(exchange, 400, "programId is not a declared program", "programId");
        return;
      }
      verify(exchange, request);
    }
  }

  private void verify(HttpExchange exchange, VerificationRequest request) throws IOException {
    if (!outcomes.ownerKnown(request.phone())) {
      HttpExchanges.sendUnavailable(
          exchange, 1, "code attempts for this phone cannot be answered right now; retry shortly");
      return;
    }
    VerificationAttempt attempt =
        VerificationAttempt.newBuilder()
            .setAttemptId(ids.get())
            .setPhone(request.phone())
            .setProgramId(request.programId())
            .setCodeHash(codes.codeHash(request.code()))
            .setIp(exchange.getRemoteAddress().getAddress().getHostAddress())
            .setAttemptedAt(Instant.now(clock))
            .build();
    // A code repeated for a challenge it confirmed already is answered without waiting for the
    // topology to reach this attempt (queued behind its partition's backlog). Asked before the
    // attempt is recorded: asked after, it could find the confirmation this very attempt made.
    Optional<Outcome> settled =
        outcomes.settledCode(attempt.getPhone(), attempt.getProgramId(), attempt.getCodeHash());
    try {
      publisher.publish(
          Topics.VERIFICATION_ATTEMPTS, attempt.getPhone(), attempt, attempt.getAttemptedAt());
    } catch (PublishException e) {
      LOG.error(
          "could not record code attempt for {}: {}",
          PhoneMask.mask(attempt.getPhone()),
          e.getMessage());
      HttpExchanges.sendError(exchange, 503, "the attempt could not be recorded; try again", null);
      return;
    }
    Optional<Outcome> outcome = settled;
    if (outcome.isEmpty()) {
      // Ends as soon as an earlier attempt of the same code, still ahead in the queue, confirms
      // the challenge: the client has its 200 then, not at the end of the whole wait.
      outcome =
          outcomes.awaitCode(
              attempt.getPhone(),
              attempt.getAttemptId(),
              attempt.getProgramId(),
              attempt.getCodeHash());
    }
    LOG.info(
        "code attempt {} for {}: {}",
        attempt.getAttemptId(),
        PhoneMask.mask(attempt.getPhone()),
        outcome.map(Outcome::text).orElse("pending"));
    if (outcome.isEmpty()) {
      ObjectNode pending =
          HttpExchanges.JSON
              .createObjectNode()
              .put("status", "pending")
              .put("attemptId", attempt.getAttemptId());
      HttpExchanges.sendJson(exchange, 202, pending);
      return;
    }
    answer(exchange, request, outcome.get());
  }

  private static void answer(HttpExchange exchange, VerificationRequest request, Outcome outcome)
      throws IOException {
    switch (outcome.kind()) {
      case CONFIRMED, ALREADY_CONFIRMED ->
          HttpExchanges.sendJson(
              exchange,
              200,
              HttpExchanges.JSON
                  .createObjectNode()
                  .put(
                      "status",
                      outcome.kind() == Outcome.Kind.CONFIRMED ? "confirmed" : "already_confirmed")
                  .put("phone", request.phone())
                  .put("programId", request.programId()));
      case WRONG_CODE ->
          HttpExchanges.sendJson(
              exchange,
              422,
              HttpExchanges.JSON
                  .createObjectNode()
                  .put("error", "wrong code")
                  .put("attemptsLeft", outcome.attemptsLeft()));
      case EXPIRED ->
          HttpExchanges.sendError(
              exchange, 410, "the code has expired; sign up again for a new one", null);
      case LOCKED ->
          HttpExchanges.sendError(
              exchange, 429, "too many wrong codes; sign up again for a new one", null);
      case NO_CHALLENGE ->
          HttpExchanges.sendError(
              exchange, 404, "no open challenge for this phone and program", null);
      default -> throw new IllegalStateException("unhandled outcome " + outcome);
    }
  }
}
