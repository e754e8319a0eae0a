package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.optin.avro.FormEvidence;
import io.optin.avro.OptInStatus;
import io.optin.avro.SignupRejected;
import io.optin.avro.SignupRequested;
import io.optin.avro.SourceChannel;
import io.optin.domain.screening.ConsentTextHash;
import io.optin.kit.kafka.PublishedRecords;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.schemas.Topics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * POST /v1/signups over real HTTP (JDK server on an ephemeral port), with the real publisher over a
 * mock producer.
 */
class SignupHandlerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final String CONSENT =
      "Yes, text me Acme deals. Msg & data rates may apply. Reply STOP to opt out.";

  private final MutableClock clock = new MutableClock(NOW);
  private final PublishedRecords published = new PublishedRecords();
  private final SubscriberStatusTable statuses = new SubscriberStatusTable();
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer server;

  private void start(IngestSettings settings) throws IOException {
    start(settings, OptinMetrics.unexposed());
  }

  private void start(IngestSettings settings, OptinMetrics metrics) throws IOException {
    PumpingGuard guard =
        new PumpingGuard(settings.pumping(), settings.prefixRule(), clock, metrics);
    SignupHandler handler =
        new SignupHandler(
            new SignupIntake(settings, published.publisher(), statuses, guard, clock, metrics));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(handler.route().pathPrefix(), handler.route().handler());
    server.start();
  }

  private void start() throws IOException {
    start(TestIngestSettings.defaults());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static ObjectNode body() {
    ObjectNode body =
        JSON.createObjectNode()
            .put("phone", "+14155550100")
            .put("programId", "acme-deals")
            .put("consentText", CONSENT)
            .put("consentTextVersion", "v3")
            .put("locale", "en-US");
    body.putObject("source")
        .put("channel", "web_form")
        .put("url", "https://acme.example/signup")
        .put("ip", "203.0.113.7")
        .put("userAgent", "Mozilla/5.0");
    return body;
  }

  private static ObjectNode body(Consumer<ObjectNode> change) {
    ObjectNode body = body();
    change.accept(body);
    return body;
  }

  private HttpResponse<String> post(byte[] body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + server.getAddress().getPort() + SignupHandler.PATH))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(JsonNode body) throws Exception {
    return post(JSON.writeValueAsBytes(body));
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  @Test
  void shouldAcceptASignupAndPublishItKeyedByE164AfterTheAck() throws Exception {
    // Given the front door
    start();

    // When a valid signup is posted
    HttpResponse<String> response = post(body());

    // Then it is answered 202 pending, and exactly that signup was published, keyed by the phone
    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode answer = json(response);
    assertThat(answer.get("status").asText()).isEqualTo("pending");
    assertThat(published.keysOn(Topics.SIGNUP_REQUESTS)).containsExactly("+14155550100");
    SignupRequested signup = published.on(Topics.SIGNUP_REQUESTS).get(0);
    assertThat(signup.getSignupId()).isEqualTo(answer.get("signupId").asText());
    assertThat(signup.getProgramId()).isEqualTo("acme-deals");
    assertThat(signup.getPhone()).isEqualTo("+14155550100");
    assertThat(signup.getOccurredAt()).isEqualTo(NOW);
    assertThat(signup.getIdempotencyKey()).isNull();
    assertThat(signup.getEvidence().getConsentText()).isEqualTo(CONSENT);
    assertThat(signup.getEvidence().getConsentTextSha256()).isEqualTo(ConsentTextHash.of(CONSENT));
    assertThat(signup.getEvidence().getConsentTextVersion()).isEqualTo("v3");
    assertThat(signup.getEvidence().getChannel()).isEqualTo(SourceChannel.WEB_FORM);
    assertThat(signup.getEvidence().getPageUrl()).isEqualTo("https://acme.example/signup");
    assertThat(signup.getEvidence().getIp()).isEqualTo("203.0.113.7");
    assertThat(signup.getEvidence().getUserAgent()).isEqualTo("Mozilla/5.0");
    assertThat(signup.getEvidence().getLocale()).isEqualTo("en-US");
    assertThat(published.on(Topics.SIGNUP_REJECTS)).isEmpty();
  }

  @Test
  void shouldNormaliseANationalNumberWithItsCountryAndTolerateUnknownFields() throws Exception {
    start();

    HttpResponse<String> response =
        post(
            body(
                b ->
                    b.put("phone", "06 12 34 56 78")
                        .put("country", "fr")
                        .put("newsletterColour", "blue")));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(published.keysOn(Topics.SIGNUP_REQUESTS)).containsExactly("+33612345678");
    assertThat(published.on(Topics.SIGNUP_REQUESTS).get(0).getPhone()).isEqualTo("+33612345678");
  }

  @Test
  void shouldLeaveTheIpEmptyWhenTheSourceGivesNone() throws Exception {
    start();

    HttpResponse<String> response = post(body(b -> ((ObjectNode) b.get("source")).remove("ip")));

    // The caller's address is the platform's server, never the subscriber's: it is not evidence.
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(published.on(Topics.SIGNUP_REQUESTS).get(0).getEvidence().getIp()).isNull();
  }

  @ParameterizedTest(name = "[{index}] without {0}")
  @CsvSource({
    "phone,phone",
    "programId,programId",
    "consentText,consentText",
    "locale,locale",
    "source,source",
    "source.channel,source.channel"
  })
  void shouldRefuseAMissingFieldNamingIt(String removed, String field) throws Exception {
    // Given the front door
    start();
    ObjectNode body = body();
    if (removed.startsWith("source.")) {
      ((ObjectNode) body.get("source")).remove(removed.substring("source.".length()));
    } else {
      body.remove(removed);
    }

    // When a signup without that field is posted
    HttpResponse<String> response = post(body);

    // Then it is refused with the field, nothing is published, and the refusal is recorded with the
    // raw body
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("field").asText()).isEqualTo(field);
    assertThat(json(response).get("error").asText()).isNotBlank();
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).isEmpty();
    SignupRejected reject = published.on(Topics.SIGNUP_REJECTS).get(0);
    assertThat(reject.getField()).isEqualTo(field);
    assertThat(StandardCharsets.UTF_8.decode(reject.getRawValue()).toString())
        .isEqualTo(JSON.writeValueAsString(body));
    assertThat(published.on(Topics.SIGNUP_REJECTS)).hasSize(1);
  }

  @Test
  void shouldCarryTheEvidenceObjectNormalisedOnTheSignup() throws Exception {
    // Given the front door
    start();
    ObjectNode body = body();
    ObjectNode evidence =
        body.putObject("evidence")
            .put("trustedFormCertUrl", "https://cert.trustedform.com/0123456789abcdef0123")
            .put("jornayaLeadId", "3f2504e0-4f89-11d3-9a0c-0305e82c3301")
            .put("formSnapshotSha256", "AB".repeat(32));
    evidence.putObject("extra").put("vendor", "acme-leads").put("campaign", "spring");

    // When a signup with evidence is posted
    HttpResponse<String> response = post(body);

    // Then it is accepted and the evidence rides on the signup, token upper case, hash lower case
    assertThat(response.statusCode()).isEqualTo(202);
    FormEvidence carried = published.on(Topics.SIGNUP_REQUESTS).get(0).getFormEvidence();
    assertThat(carried.getTrustedFormCertUrl())
        .isEqualTo("https://cert.trustedform.com/0123456789abcdef0123");
    assertThat(carried.getJornayaLeadId()).isEqualTo("3F2504E0-4F89-11D3-9A0C-0305E82C3301");
    assertThat(carried.getFormSnapshotSha256()).isEqualTo("ab".repeat(32));
    assertThat(carried.getExtra())
        .containsOnly(Map.entry("campaign", "spring"), Map.entry("vendor", "acme-leads"));
  }

  @Test
  void shouldLeaveTheEvidenceNullWhenNoneIsGiven() throws Exception {
    start();

    HttpResponse<String> response = post(body(b -> b.putObject("evidence")));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(published.on(Topics.SIGNUP_REQUESTS).get(0).getFormEvidence()).isNull();
  }

  @ParameterizedTest(name = "[{index}] {0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "trustedFormCertUrl|http://cert.trustedform.com/abc|evidence.trustedFormCertUrl",
        "trustedFormCertUrl|https://evil.example/abc|evidence.trustedFormCertUrl",
        "trustedFormCertUrl|https://cert.trustedform.com/|evidence.trustedFormCertUrl",
        "trustedFormCertUrl|https://user@cert.trustedform.com/abc|evidence.trustedFormCertUrl",
        "trustedFormCertUrl|LONG_URL|evidence.trustedFormCertUrl",
        "jornayaLeadId|3F2504E0-4F89-11D3-9A0C|evidence.jornayaLeadId",
        "jornayaLeadId|3F2504E0-4F89-11D3-9A0C-0305E82C330G|evidence.jornayaLeadId",
        "formSnapshotSha256|abc123|evidence.formSnapshotSha256",
        "formSnapshotSha256|HASH_65|evidence.formSnapshotSha256",
        "extra|NOT_AN_OBJECT|evidence.extra",
        "extra|BAD_KEY|evidence.extra",
        "extra|TOO_MANY|evidence.extra",
        "extra|LONG_VALUE|evidence.extra.note",
        "extra|NUMBER_VALUE|evidence.extra.note",
        "evidence|NOT_AN_OBJECT|evidence"
      })
  void shouldRefuseBadEvidenceNamingTheField(String name, String value, String field)
      throws Exception {
    // Given the front door
    start();
    ObjectNode body = body();
    ObjectNode evidence = body.putObject("evidence");
    switch (value) {
      case "LONG_URL" -> evidence.put(name, "https://cert.trustedform.com/" + "a".repeat(500));
      case "HASH_65" -> evidence.put(name, "a".repeat(65));
      case "NOT_AN_OBJECT" -> {
        if (name.equals("evidence")) {
          body.put("evidence", "https://cert.trustedform.com/abc");
        } else {
          evidence.put(name, "vendor=acme");
        }
      }
      case "BAD_KEY" -> evidence.putObject("extra").put("bad key!", "x");
      case "TOO_MANY" -> {
        ObjectNode extra = evidence.putObject("extra");
        for (int i = 0; i < 21; i++) {
          extra.put("k" + i, "v");
        }
      }
      case "LONG_VALUE" -> evidence.putObject("extra").put("note", "n".repeat(513));
      case "NUMBER_VALUE" -> evidence.putObject("extra").put("note", 42);
      default -> evidence.put(name, value);
    }

    // When it is posted
    HttpResponse<String> response = post(body);

    // Then it is refused naming the evidence field, and nothing is published
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("field").asText()).isEqualTo(field);
    assertThat(json(response).get("error").asText()).startsWith(field + " ");
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] {0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "phone|+112|phone",
        "phone|hello|phone",
        "phone|+33123456789|phone",
        "phone|0612345678|country",
        "country|XX|country",
        "programId|acme:deals|programId",
        "locale|en_US|locale",
        "consentTextVersion|TOO_LONG_ID|consentTextVersion",
        "idempotencyKey|TOO_LONG_ID|idempotencyKey",
        "source.channel|fax|source.channel",
        "source.channel|unknown|source.channel",
        "source.url|not a url|source.url",
        "source.ip|999.1.1.1|source.ip",
        "source.userAgent|TOO_LONG_UA|source.userAgent"
      })
  void shouldRefuseAnInvalidFieldNamingIt(String name, String value, String field)
      throws Exception {
    start();
    String text =
        switch (value) {
          case "TOO_LONG_ID" -> "k".repeat(129);
          case "TOO_LONG_UA" -> "u".repeat(513);
          default -> value;
        };
    ObjectNode body = body();
    if (name.equals("country")) {
      body.put("phone", "0612345678");
    }
    if (name.startsWith("source.")) {
      ((ObjectNode) body.get("source")).put(name.substring("source.".length()), text);
    } else {
      body.put(name, text);
    }

    HttpResponse<String> response = post(body);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("field").asText()).isEqualTo(field);
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).isEmpty();
    assertThat(published.on(Topics.SIGNUP_REJECTS))
        .extracting(SignupRejected::getField)
        .containsExactly(field);
  }

  @Test
  void shouldRefuseAnOversizedConsentTextAndAFieldOfTheWrongType() throws Exception {
    start();

    HttpResponse<String> tooLong = post(body(b -> b.put("consentText", "c".repeat(2001))));
    HttpResponse<String> notText = post(body(b -> b.put("phone", 14155550100L)));

    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(json(tooLong).get("field").asText()).isEqualTo("consentText");
    assertThat(notText.statusCode()).isEqualTo(400);
    assertThat(json(notText).get("field").asText()).isEqualTo("phone");
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).isEmpty();
  }

  @Test
  void shouldRefuseABodyThatIsNotAJsonObject() throws Exception {
    start();

    HttpResponse<String> garbage = post("phone=+14155550100".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> array = post("[]".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> twice =
        post(
            ("{\"phone\":\"+14155550100\",\"phone\":\"+14155550101\"}")
                .getBytes(StandardCharsets.UTF_8));

    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(json(garbage).has("field")).isFalse();
    assertThat(array.statusCode()).isEqualTo(400);
    assertThat(twice.statusCode()).isEqualTo(400);
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).isEmpty();
    assertThat(published.on(Topics.SIGNUP_REJECTS)).hasSize(3);
  }

  static Stream<Arguments> trailingContent() throws IOException {
    int end = JSON.writeValueAsString(body()).length();
    return Stream.of(
        Arguments.of(" GARBAGE", "line 1, column " + (end + 2)),
        Arguments.of("}", "line 1, column " + (end + 1)),
        Arguments.of(",{}", "line 1, column " + (end + 1)),
        Arguments.of(" {}", "line 1, column " + (end + 2)),
        Arguments.of(" 1", "line 1, column " + (end + 2)),
        Arguments.of("\n[]", "line 2, column 1"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("trailingContent")
  void shouldRefuseContentAfterTheJsonObject(String trailing, String where) throws Exception {
    // Given a valid signup followed by more content
    start();
    byte[] body = (JSON.writeValueAsString(body()) + trailing).getBytes(StandardCharsets.UTF_8);

    // When it is posted
    HttpResponse<String> response = post(body);

    // Then it is refused as a whole, in plain words and the error shape of the API, and nothing
    // is published
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response))
        .isEqualTo(
            JSON.createObjectNode()
                .put("error", "body is not valid JSON: content after the JSON value at " + where));
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).isEmpty();
    assertThat(published.on(Topics.SIGNUP_REJECTS)).hasSize(1);
  }

  @Test
  void shouldRefuseADeeplyNestedBodyWithoutNamingTheParser() throws Exception {
    start();

    HttpResponse<String> response = post("[".repeat(1_200).getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response))
        .isEqualTo(
            JSON.createObjectNode().put("error", "body is not valid JSON: nested too deeply"));
  }

  @ParameterizedTest(name = "[{index}] {0} with U+{1}")
  @CsvSource({
    "phone, 0000",
    "country, 001B",
    "programId, 007F",
    "consentText, 0000",
    "consentText, 001B",
    "consentText, 007F",
    "consentText, 0085",
    "consentText, 009B",
    "consentTextVersion, 0007",
    "locale, 0008",
    "idempotencyKey, 001F",
    "source.channel, 000B",
    "source.url, 000C",
    "source.ip, 0090",
    "source.userAgent, 001B"
  })
  void shouldRefuseAControlCharacterInAnyTextFieldNamingIt(String field, String codePoint)
      throws Exception {
    // Given the front door, and a signup with a control character at the end of one field
    start();
    String control = String.valueOf((char) Integer.parseInt(codePoint, 16));
    ObjectNode body = body(b -> b.put("country", "US").put("idempotencyKey", "key-1"));
    ObjectNode parent = field.startsWith("source.") ? (ObjectNode) body.get("source") : body;
    String name = field.startsWith("source.") ? field.substring("source.".length()) : field;
    parent.put(name, parent.get(name).asText() + control);

    // When it is posted
    HttpResponse<String> response = post(body);

    // Then it is refused naming the field, and nothing is published
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("field").asText()).isEqualTo(field);
    assertThat(json(response).get("error").asText())
        .isEqualTo(field + " contains control characters (only tab, CR and LF are allowed)");
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).isEmpty();
  }

  @Test
  void shouldKeepTabsAndLineBreaksOfAConsentTextVerbatim() throws Exception {
    start();
    String consent = "Yes, text me Acme deals.\r\n\tMsg & data rates may apply.\nReply STOP.";

    HttpResponse<String> response = post(body(b -> b.put("consentText", consent)));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(published.on(Topics.SIGNUP_REQUESTS))
        .singleElement()
        .satisfies(signup -> assertThat(signup.getEvidence().getConsentText()).isEqualTo(consent));
  }

  @Test
  void shouldRefuseAProgramOutsideTheDeclaredPrograms() throws Exception {
    // Given the front door with two declared programs
    start(TestIngestSettings.with(Map.of("programs.allowed", "acme-deals,news")));

    // When a signup names another program, then a declared one
    HttpResponse<String> unknown = post(body(b -> b.put("programId", "brand-of-attacker")));
    HttpResponse<String> declared = post(body(b -> b.put("programId", " news ")));

    // Then the first is refused naming programId, the second published
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).get("error").asText())
        .isEqualTo("programId is not a declared program");
    assertThat(json(unknown).get("field").asText()).isEqualTo("programId");
    assertThat(declared.statusCode()).isEqualTo(202);
    assertThat(published.on(Topics.SIGNUP_REQUESTS))
        .extracting(SignupRequested::getProgramId)
        .containsExactly("news");
    assertThat(published.on(Topics.SIGNUP_REJECTS))
        .extracting(SignupRejected::getField)
        .containsExactly("programId");
  }

  @Test
  void shouldAnswer413ToAnOversizedBodyAndRecordTheRefusal() throws Exception {
    start();

    HttpResponse<String> response = post(body(b -> b.put("padding", "p".repeat(70_000))));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).get("error").asText()).contains("larger than");
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).isEmpty();
    SignupRejected reject = published.on(Topics.SIGNUP_REJECTS).get(0);
    assertThat(reject.getReason()).startsWith("413 ");
    assertThat(reject.getRawValue()).isNull();
  }

  @Test
  void shouldReplayTheFirstAnswerForARepeatedIdempotencyKeyAndPublishNothingNew() throws Exception {
    // Given a signup accepted under an idempotency key
    start();
    HttpResponse<String> first = post(body(b -> b.put("idempotencyKey", "order-42")));

    // When the same key is posted again for the same program, even after time has passed
    clock.advance(Duration.ofHours(23));
    HttpResponse<String> again = post(body(b -> b.put("idempotencyKey", "order-42")));

    // Then the first answer comes back and only one signup was published
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).hasSize(1);
    assertThat(published.on(Topics.SIGNUP_REQUESTS).get(0).getIdempotencyKey())
        .isEqualTo("order-42");
  }

  @Test
  void shouldScopeIdempotencyKeysPerProgramAndForgetThemAfter24Hours() throws Exception {
    start();
    HttpResponse<String> first = post(body(b -> b.put("idempotencyKey", "order-42")));

    HttpResponse<String> otherProgram =
        post(body(b -> b.put("idempotencyKey", "order-42").put("programId", "acme-news")));
    clock.advance(Duration.ofHours(24));
    HttpResponse<String> expired = post(body(b -> b.put("idempotencyKey", "order-42")));

    assertThat(json(otherProgram).get("signupId")).isNotEqualTo(json(first).get("signupId"));
    assertThat(json(expired).get("signupId")).isNotEqualTo(json(first).get("signupId"));
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).hasSize(3);
  }

  @Test
  void shouldAnswer503WhenPublishingFailsAndLetTheSameKeyRetry() throws Exception {
    // Given a broker that refuses writes
    start();
    published.failSends(new IllegalStateException("broker unavailable (test)"));

    // When a signup is posted
    HttpResponse<String> failed = post(body(b -> b.put("idempotencyKey", "order-7")));

    // Then it is answered 503, never 202; once the broker is back a retry with the same key is
    // published
    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(json(failed).get("error").asText()).isNotBlank();
    published.acceptSends();
    HttpResponse<String> retried = post(body(b -> b.put("idempotencyKey", "order-7")));
    assertThat(retried.statusCode()).isEqualTo(202);
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).hasSize(1);
  }

  @Test
  void shouldAnswer409WhenThePhoneIsAlreadyConfirmedForTheProgram() throws Exception {
    start();
    statuses.put("acme-deals", "+14155550100", OptInStatus.CONFIRMED);

    HttpResponse<String> sameProgram = post(body());
    HttpResponse<String> otherProgram = post(body(b -> b.put("programId", "acme-news")));

    assertThat(sameProgram.statusCode()).isEqualTo(409);
    assertThat(json(sameProgram).get("field").asText()).isEqualTo("phone");
    assertThat(otherProgram.statusCode()).isEqualTo(202);
    assertThat(published.on(Topics.SIGNUP_REQUESTS))
        .extracting(SignupRequested::getProgramId)
        .containsExactly("acme-news");
    assertThat(published.on(Topics.SIGNUP_REJECTS))
        .extracting(SignupRejected::getReason)
        .containsExactly("409 phone already confirmed for this program");
  }

  @Test
  void shouldAnswer409WhenThePhoneOptedOutOfAnyProgram() throws Exception {
    start();
    statuses.put("acme-news", "+14155550100", OptInStatus.OPTED_OUT);

    HttpResponse<String> response = post(body());

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(json(response).get("error").asText()).contains("START");
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).isEmpty();
  }

  @Test
  void shouldAnswer429WithRetryAfterWhenThePhoneLimitTrips() throws Exception {
    // Given 5 signups an hour per phone, all spent
    start();
    for (int i = 0; i < 5; i++) {
      assertThat(post(body()).statusCode()).isEqualTo(202);
    }

    // When a sixth comes in the same instant
    HttpResponse<String> limited = post(body());

    // Then it is refused 429 with the wait for the next token (one every 12 minutes), and nothing
    // is published
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("720");
    assertThat(json(limited).get("field").asText()).isEqualTo("phone");
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).hasSize(5);
    clock.advance(Duration.ofMinutes(12));
    assertThat(post(body()).statusCode()).isEqualTo(202);
  }

  @Test
  void shouldCountAnswersByStatusAndTheLimitThatTripped() throws Exception {
    // Given
    OptinMetrics metrics = OptinMetrics.unexposed();
    start(
        TestIngestSettings.with(
            Map.of("limits.phone.per.hour", "1", "ingest.idempotency.max.keys", "1000")),
        metrics);

    // When
    post(body());
    post(body());
    post(body(b -> b.put("phone", "not a phone")));

    // Then
    assertThat(metrics.value("optin_signups_total", "accepted", "202")).isEqualTo(1);
    assertThat(metrics.value("optin_signups_total", "refused", "429")).isEqualTo(1);
    assertThat(metrics.value("optin_signups_total", "refused", "400")).isEqualTo(1);
    assertThat(metrics.value("optin_velocity_limit_trips_total", "phone")).isEqualTo(1);
    assertThat(metrics.value("optin_signups_accepted_total", "acme-deals", "US")).isEqualTo(1);
    assertThat(metrics.value("optin_signups_accepted_total")).isEqualTo(1);
  }

  @Test
  void shouldAnswer429WhenTheIpLimitTripsAcrossPhones() throws Exception {
    start(TestIngestSettings.with(Map.of("limits.ip.per.hour", "2")));
    post(body(b -> b.put("phone", "+14155550101")));
    post(body(b -> b.put("phone", "+14155550102")));

    HttpResponse<String> limited = post(body(b -> b.put("phone", "+14155550103")));

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(json(limited).get("field").asText()).isEqualTo("source.ip");
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("1800");
    assertThat(published.keysOn(Topics.SIGNUP_REQUESTS))
        .containsExactly("+14155550101", "+14155550102");
  }

  @Test
  void shouldRefuseANumberFromACountryOutsideTheAllowList() throws Exception {
    start(TestIngestSettings.with(Map.of("limits.countries.allowed", "US,CA")));

    HttpResponse<String> french = post(body(b -> b.put("phone", "+33612345678")));
    HttpResponse<String> american = post(body());

    assertThat(french.statusCode()).isEqualTo(403);
    assertThat(json(french).get("error").asText()).isEqualTo("country not allowed");
    assertThat(json(french).get("field").asText()).isEqualTo("phone");
    assertThat(american.statusCode()).isEqualTo(202);
    assertThat(published.keysOn(Topics.SIGNUP_REQUESTS)).containsExactly("+14155550100");
    assertThat(published.keysOn(Topics.SIGNUP_REJECTS)).containsExactly("+33612345678");
  }

  @Test
  void shouldAnswer405ToAnythingButPost() throws Exception {
    start();

    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + server.getAddress().getPort() + SignupHandler.PATH))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("POST");
  }
}
