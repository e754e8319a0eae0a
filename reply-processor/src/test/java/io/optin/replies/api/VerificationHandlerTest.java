package io.optin.replies.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.optin.avro.VerificationAttempt;
import io.optin.domain.otp.OtpCodes;
import io.optin.kit.http.HttpRoute;
import io.optin.kit.kafka.PublishedRecords;
import io.optin.kit.testing.LocalHttpServer;
import io.optin.replies.lookup.OutcomeAnswers;
import io.optin.replies.lookup.OutcomeLookup;
import io.optin.replies.lookup.OutcomeWait;
import io.optin.replies.matching.Outcome;
import io.optin.schemas.Topics;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * POST /v1/verifications over real HTTP, with a lookup that answers only for attempts actually
 * published.
 */
class VerificationHandlerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2025-03-01T10:03:00Z");
  private static final OtpCodes CODES =
      new OtpCodes("test-otp-secret-not-for-production-use".getBytes(StandardCharsets.UTF_8), 6);

  private final PublishedRecords published = new PublishedRecords();
  private final AtomicReference<Outcome> decided = new AtomicReference<>();
  private final AtomicInteger attemptIds = new AtomicInteger();
  private LocalHttpServer server;

  @BeforeEach
  void start() throws Exception {
    start(Set.of());
  }

  /** Serves the handler with these declared programs (empty: any program). */
  private void start(Set<String> allowedPrograms) throws Exception {
    OutcomeWait outcomes =
        new OutcomeWait(
            id ->
                published.on(Topics.VERIFICATION_ATTEMPTS).stream()
                        .anyMatch(a -> a.getAttemptId().equals(id))
                    ? Optional.ofNullable(decided.get())
                    : Optional.empty(),
            Duration.ofMillis(300));
    serve(outcomes, allowedPrograms);
  }

  /** Serves the handler answering from {@code outcomes}, with these declared programs. */
  private void serve(OutcomeAnswers outcomes, Set<String> allowedPrograms) throws Exception {
    VerificationHandler handler =
        new VerificationHandler(
            published.publisher(),
            outcomes,
            CODES,
            allowedPrograms,
            Clock.fixed(NOW, ZoneOffset.UTC),
            () -> "attempt-" + attemptIds.incrementAndGet());
    server = new LocalHttpServer(List.of(new HttpRoute(VerificationHandler.PATH, handler)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void restart(Set<String> allowedPrograms) throws Exception {
    server.close();
    start(allowedPrograms);
  }

  @Test
  void shouldPublishTheAttemptWithItsCodeHashAndAnswerConfirmed() throws Exception {
    decided.set(Outcome.CONFIRMED);

    HttpResponse<String> response =
        post("{\"phone\":\"+14155550100\",\"programId\":\"spring-sale\",\"code\":\"482913\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"status\":\"confirmed\",\"phone\":\"+14155550100\",\"programId\":\"spring-sale\"}"));
    assertThat(published.on(Topics.VERIFICATION_ATTEMPTS))
        .containsExactly(
            VerificationAttempt.newBuilder()
                .setAttemptId("attempt-1")
                .setPhone("+14155550100")
                .setProgramId("spring-sale")
                .setCodeHash(CODES.codeHash("482913"))
                .setIp("127.0.0.1")
                .setAttemptedAt(NOW)
                .build());
    assertThat(new String(published.raw().get(0).value(), StandardCharsets.ISO_8859_1))
        .doesNotContain("482913");
  }

  @Test
  void shouldRefuseWithRetryAfterAndRecordNothingWhileThePhonesOwnerIsUnknown() throws Exception {
    // Given a handler whose phones have no known owner (a rebalance)
    server.close();
    OutcomeAnswers rebalancing =
        new OutcomeAnswers() {
          @Override
          public boolean ownerKnown(String phone) {
            return false;
          }

          @Override
          public Optional<Outcome> await(String phone, String id) {
            throw new AssertionError("nothing is awaited without an owner");
          }
        };
    serve(rebalancing, Set.of());

    // When
    HttpResponse<String> response =
        post("{\"phone\":\"+14155550100\",\"programId\":\"spring-sale\",\"code\":\"482913\"}");

    // Then the client retries later, and its retry is not a second attempt
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).contains("1");
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"error\":\"code attempts for this phone cannot be answered right now; retry"
                    + " shortly\"}"));
    assertThat(published.raw()).isEmpty();
  }

  @Test
  void shouldAnswerAlreadyConfirmedForACodeItsChallengeConfirmedBeforeTheAttemptIsDecided()
      throws Exception {
    // Given a lagging topology that decides no attempt within the wait, and an owner whose
    // challenges hold the code's challenge closed CONFIRMED (the site asks again after a 202)
    server.close();
    OutcomeAnswers lagging =
        new OutcomeAnswers() {
          @Override
          public boolean ownerKnown(String phone) {
            return true;
          }

          @Override
          public Optional<Outcome> await(String phone, String id) {
            return Optional.empty();
          }

          @Override
          public Optional<Outcome> settledCode(String phone, String programId, String codeHash) {
            return phone.equals("+14155550100")
                    && programId.equals("spring-sale")
                    && codeHash.equals(CODES.codeHash("482913"))
                ? Optional.of(Outcome.ALREADY_CONFIRMED)
                : Optional.empty();
          }
        };
    serve(lagging, Set.of());

    // When the confirmed code is entered again, and another code after it
    HttpResponse<String> repeated =
        post("{\"phone\":\"+14155550100\",\"programId\":\"spring-sale\",\"code\":\"482913\"}");
    HttpResponse<String> other =
        post("{\"phone\":\"+14155550100\",\"programId\":\"spring-sale\",\"code\":\"111111\"}");

    // Then the repeated code is answered already confirmed, the other one pending; both recorded
    assertThat(repeated.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(repeated.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"status\":\"already_confirmed\",\"phone\":\"+14155550100\","
                    + "\"programId\":\"spring-sale\"}"));
    assertThat(other.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(other.body()))
        .isEqualTo(JSON.readTree("{\"status\":\"pending\",\"attemptId\":\"attempt-2\"}"));
    assertThat(published.on(Topics.VERIFICATION_ATTEMPTS))
        .extracting(VerificationAttempt::getAttemptId)
        .containsExactly("attempt-1", "attempt-2");
  }

  @Test
  void shouldAnswerAlreadyConfirmedAsSoonAsAnEarlierAttemptConfirmsTheCodeDuringTheWait()
      throws Exception {
    // Given a wait of a minute on a topology that never decides this attempt, and an earlier
    // attempt of the same code, ahead in the queue, that confirms the challenge during the wait:
    // the third look at the challenges after this attempt is recorded finds it confirmed
    server.close();
    AtomicInteger outcomeLookups = new AtomicInteger();
    AtomicInteger settledLookups = new AtomicInteger();
    OutcomeLookup lagging =
        new OutcomeLookup() {
          @Override
          public Optional<Outcome> outcome(String id) {
            outcomeLookups.incrementAndGet();
            return Optional.empty();
          }

          @Override
          public Optional<Outcome> settledCode(String phone, String programId, String codeHash) {
            if (published.raw().isEmpty()) {
              return Optional.empty();
            }
            return settledLookups.incrementAndGet() >= 3
                    && phone.equals("+14155550100")
                    && programId.equals("spring-sale")
                    && codeHash.equals(CODES.codeHash("482913"))
                ? Optional.of(Outcome.ALREADY_CONFIRMED)
                : Optional.empty();
          }
        };
    serve(new OutcomeWait(lagging, Duration.ofMinutes(1)), Set.of());

    // When the code is entered
    HttpResponse<String> response =
        post("{\"phone\":\"+14155550100\",\"programId\":\"spring-sale\",\"code\":\"482913\"}");

    // Then it is answered already confirmed at that third look, not after the minute: three looks
    // at its own outcome, and one more when the code was found settled (this attempt might have
    // confirmed it itself in between)
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"status\":\"already_confirmed\",\"phone\":\"+14155550100\","
                    + "\"programId\":\"spring-sale\"}"));
    assertThat(settledLookups).hasValue(3);
    assertThat(outcomeLookups).hasValue(4);
    assertThat(published.on(Topics.VERIFICATION_ATTEMPTS))
        .extracting(VerificationAttempt::getAttemptId)
        .containsExactly("attempt-1");
  }

  @Test
  void shouldAnswerConfirmedWhenTheAttemptItselfConfirmedBeforeTheLookup() throws Exception {
    // Given a quick topology: once the attempt is recorded it confirms the challenge at once, so
    // the challenge reads closed CONFIRMED by that very attempt
    server.close();
    OutcomeAnswers quick =
        new OutcomeAnswers() {
          @Override
          public boolean ownerKnown(String phone) {
            return true;
          }

          @Override
          public Optional<Outcome> await(String phone, String id) {
            return Optional.of(Outcome.CONFIRMED);
          }

          @Override
          public Optional<Outcome> settledCode(String phone, String programId, String codeHash) {
            return published.raw().isEmpty()
                ? Optional.empty()
                : Optional.of(Outcome.ALREADY_CONFIRMED);
          }
        };
    serve(quick, Set.of());

    // When the code is entered for the first time
    HttpResponse<String> first =
        post("{\"phone\":\"+14155550100\",\"programId\":\"spring-sale\",\"code\":\"482913\"}");

    // Then it is answered confirmed (its own outcome), not already confirmed
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(first.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"status\":\"confirmed\",\"phone\":\"+14155550100\","
                    + "\"programId\":\"spring-sale\"}"));
  }

  @Test
  void shouldAnswerWrongCodeWithTheAttemptsLeft() throws Exception {
    decided.set(Outcome.wrongCode(3));

    HttpResponse<String> response =
        post("{\"phone\":\"+14155550100\",\"programId\":\"p\",\"code\":\"111111\"}");

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(JSON.readTree("{\"error\":\"wrong code\",\"attemptsLeft\":3}"));
  }

  @ParameterizedTest
  @CsvSource({"EXPIRED, 410", "LOCKED, 429", "NO_CHALLENGE, 404", "ALREADY_CONFIRMED, 200"})
  void shouldAnswerEachOutcomeWithItsStatus(String outcome, int status) throws Exception {
    decided.set(Outcome.parse(outcome));

    HttpResponse<String> response =
        post("{\"phone\":\"+14155550100\",\"programId\":\"p\",\"code\":\"111-111\"}");

    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(published.on(Topics.VERIFICATION_ATTEMPTS)).hasSize(1);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"programId\":\"p\",\"code\":\"111111\"}|phone|phone is required",
        "{\"phone\":\"0612345678\",\"programId\":\"p\",\"code\":\"111111\"}|phone|phone must be in E.164 format, e.g. +14155550100",
        "{\"phone\":\"+14155550100\",\"code\":\"111111\"}|programId|programId is required",
        "{\"phone\":\"+14155550100\",\"programId\":\"p\"}|code|code is required",
        "{\"phone\":\"+14155550100\",\"programId\":\"p\",\"code\":\"12345\"}|code|code must be 6 digits",
        "{\"phone\":\"+14155550100\",\"programId\":\"p\",\"code\":123456}|code|code must be a string",
        "{\"phone\":\"+14155550100\\u0000\",\"programId\":\"p\",\"code\":\"111111\"}|phone|phone contains control characters",
        "{\"phone\":\"+14155550100\",\"programId\":\"p\\u001b[2J\",\"code\":\"111111\"}|programId|programId contains control characters",
        "{\"phone\":\"+14155550100\",\"programId\":\"p\\tq\",\"code\":\"111111\"}|programId|programId contains control characters",
        "{\"phone\":\"+14155550100\",\"programId\":\"p\\u0085\",\"code\":\"111111\"}|programId|programId contains control characters",
        "{\"phone\":\"+14155550100\",\"programId\":\"p\",\"code\":\"111111\\u007f\"}|code|code contains control characters"
      })
  void shouldRefuseAnIncompleteRequestNamingTheField(String body, String field, String error)
      throws Exception {
    HttpResponse<String> response = post(body);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode json = JSON.readTree(response.body());
    assertThat(json.get("field").asText()).isEqualTo(field);
    assertThat(json.get("error").asText()).isEqualTo(error);
    assertThat(published.raw()).isEmpty();
  }

  @Test
  void shouldRefuseABodyThatIsNotJson() throws Exception {
    HttpResponse<String> response = post("phone=+14155550100");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).has("error")).isTrue();
    assertThat(published.raw()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "' GARBAGE'                 | 58",
        "}                          | 57",
        ",{}                        | 57",
        "' {\"code\":\"222222\"}'     | 58",
      })
  void shouldRefuseContentAfterTheJsonObject(String trailing, int column) throws Exception {
    // Given a valid attempt (56 characters) followed by more content
    String attempt = "{\"phone\":\"+14155550100\",\"programId\":\"p\",\"code\":\"111111\"}";
    assertThat(attempt).hasSize(56);

    // When it is posted
    HttpResponse<String> response = post(attempt + trailing);

    // Then it is refused in plain words and the error shape of the API; no attempt is recorded
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(
            JSON.createObjectNode()
                .put(
                    "error",
                    "body is not valid JSON: content after the JSON value at line 1, column "
                        + column));
    assertThat(published.raw()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"phone\":                     | it ends before the JSON value is complete at line 1, column 10",
        "{\"phone\":\"+1\",\"phone\":\"+2\"} | a key is given twice at line 1, column 22",
        "{'phone':1}                    | unexpected content at line 1, column 2",
      })
  void shouldSayInPlainWordsWhyTheBodyIsNotJson(String body, String reason) throws Exception {
    HttpResponse<String> response = post(body);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(JSON.createObjectNode().put("error", "body is not valid JSON: " + reason));
    assertThat(published.raw()).isEmpty();
  }

  @Test
  void shouldRefuseAFieldGivenTwice() throws Exception {
    HttpResponse<String> response =
        post("{\"phone\":\"+14155550100\",\"programId\":\"p\",\"code\":\"111111\",\"code\":\"2\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(published.raw()).isEmpty();
  }

  @Test
  void shouldAnswer503WhenTheAttemptCannotBeRecorded() throws Exception {
    published.failSends(new TimeoutException("broker unavailable"));

    HttpResponse<String> response =
        post("{\"phone\":\"+14155550100\",\"programId\":\"p\",\"code\":\"111111\"}");

    assertThat(response.statusCode()).isEqualTo(503);
  }

  @Test
  void shouldAnswerPendingWithTheAttemptIdWhenNoOutcomeArrivesInTime() throws Exception {
    HttpResponse<String> response =
        post("{\"phone\":\"+14155550100\",\"programId\":\"p\",\"code\":\"111111\"}");

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(JSON.readTree("{\"status\":\"pending\",\"attemptId\":\"attempt-1\"}"));
  }

  @ParameterizedTest
  @CsvSource({"acme-deals", "spring-sale-2", "SPRING-SALE"})
  void shouldRefuseAnUndeclaredProgramBeforeRecordingAnything(String programId) throws Exception {
    // Given declared programs and an outcome the lookup would give to any recorded attempt
    restart(Set.of("spring-sale", "news"));
    decided.set(Outcome.CONFIRMED);

    // When a code is entered for another program
    HttpResponse<String> response =
        post(
            "{\"phone\":\"+14155550100\",\"programId\":\"" + programId + "\",\"code\":\"482913\"}");

    // Then it is refused as signups refuse it, and no attempt is published
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"error\":\"programId is not a declared program\",\"field\":\"programId\"}"));
    assertThat(published.raw()).isEmpty();
  }

  @Test
  void shouldRecordACodeForADeclaredProgram() throws Exception {
    // Given declared programs
    restart(Set.of("spring-sale", "news"));
    decided.set(Outcome.CONFIRMED);

    // When a code is entered for one of them (blanks around the id are ignored)
    HttpResponse<String> response =
        post("{\"phone\":\"+14155550100\",\"programId\":\" news \",\"code\":\"482913\"}");

    // Then the attempt is recorded and answered with its outcome
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"status\":\"confirmed\",\"phone\":\"+14155550100\",\"programId\":\"news\"}"));
    assertThat(published.on(Topics.VERIFICATION_ATTEMPTS))
        .containsExactly(
            VerificationAttempt.newBuilder()
                .setAttemptId("attempt-1")
                .setPhone("+14155550100")
                .setProgramId("news")
                .setCodeHash(CODES.codeHash("482913"))
                .setIp("127.0.0.1")
                .setAttemptedAt(NOW)
                .build());
  }

  @Test
  void shouldRecordACodeForAnyProgramWhenNoneIsDeclared() throws Exception {
    // Given no declared program (the default handler)
    // When a code is entered for a program nobody listed
    HttpResponse<String> response =
        post("{\"phone\":\"+14155550100\",\"programId\":\"whatever-1\",\"code\":\"482913\"}");

    // Then it is recorded and, without an outcome in time, answered pending
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(JSON.readTree("{\"status\":\"pending\",\"attemptId\":\"attempt-1\"}"));
    assertThat(published.on(Topics.VERIFICATION_ATTEMPTS))
        .extracting(VerificationAttempt::getProgramId)
        .containsExactly("whatever-1");
  }

  private HttpResponse<String> post(String body) throws Exception {
    return server.send(
        HttpRequest.newBuilder(server.uri(VerificationHandler.PATH))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }
}
