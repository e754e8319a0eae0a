package io.optin.replies.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.optin.avro.InboundSms;
import io.optin.avro.MessageChannel;
import io.optin.avro.ReplyIntent;
import io.optin.domain.otp.OtpCodes;
import io.optin.kit.http.HttpRoute;
import io.optin.kit.kafka.PublishedRecords;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.testing.LocalHttpServer;
import io.optin.kit.testing.TwilioSigner;
import io.optin.kit.twilio.TwilioSignatureCheck;
import io.optin.replies.lookup.OutcomeWait;
import io.optin.replies.matching.Outcome;
import io.optin.replies.matching.ReplyTopologyConfig.StopScope;
import io.optin.replies.parse.ReplyParser;
import io.optin.schemas.Topics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The inbound webhook over real HTTP, with requests signed as Twilio signs them. */
class InboundWebhookHandlerTest {

  private static final String TOKEN = "test-auth-token";
  private static final String PUBLIC_BASE = "https://optin.example.com";
  private static final String SIGNED_URL = PUBLIC_BASE + InboundWebhookHandler.PATH;
  private static final String PHONE = "+14155550100";
  private static final String OUR_NUMBER = "+14155550999";
  private static final Instant NOW = Instant.parse("2025-03-01T10:02:00Z");
  private static final OtpCodes CODES =
      new OtpCodes("test-otp-secret-not-for-production-use".getBytes(StandardCharsets.UTF_8), 6);

  private final PublishedRecords published = new PublishedRecords();
  private final Map<String, Outcome> decided = new ConcurrentHashMap<>();
  private final TwilioSigner twilio = new TwilioSigner(TOKEN);
  private final OptinMetrics metrics = OptinMetrics.unexposed();
  private LocalHttpServer server;

  @BeforeEach
  void start() throws Exception {
    serve(StopScope.ALL);
  }

  private void serve(StopScope stopScope) throws Exception {
    // Stands in for the topology: an outcome is known only for replies that were published.
    OutcomeWait outcomes =
        new OutcomeWait(
            id ->
                published.on(Topics.SMS_INBOUND).stream()
                        .anyMatch(sms -> sms.getMessageSid().equals(id))
                    ? Optional.ofNullable(decided.get(id))
                    : Optional.empty(),
            Duration.ofMillis(300));
    InboundWebhookHandler handler =
        new InboundWebhookHandler(
            new TwilioSignatureCheck(TOKEN, PUBLIC_BASE, metrics),
            new ReplyParser(CODES.length()),
            CODES,
            published.publisher(),
            outcomes,
            ReplyTexts.defaults(),
            Clock.fixed(NOW, ZoneOffset.UTC),
            100,
            metrics,
            stopScope);
    server = new LocalHttpServer(List.of(new HttpRoute(InboundWebhookHandler.PATH, handler)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void shouldRefuseAForgedSignatureAndPublishNothing() throws Exception {
    Map<String, String> form = reply("SM-forged", "YES");
    String forged = new TwilioSigner("another-token").sign(SIGNED_URL, form);

    HttpResponse<String> response = post(form, forged);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(published.raw()).isEmpty();
    assertThat(metrics.value("optin_webhooks_forged_total", "inbound")).isEqualTo(1);
    assertThat(metrics.value("optin_replies_total", "CONFIRM")).isZero();
  }

  @Test
  void shouldRefuseAnUnsignedRequest() throws Exception {
    HttpResponse<String> response = post(reply("SM-unsigned", "YES"), null);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(published.raw()).isEmpty();
  }

  @Test
  void shouldRefuseAnUnsignedRequestBeforeReadingItsBody() throws Exception {
    // Given a raw request without signature that announces a body it never sends
    try (Socket socket = new Socket("127.0.0.1", server.uri("/").getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("POST "
                      + InboundWebhookHandler.PATH
                      + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Content-Type: application/x-www-form-urlencoded\r\n"
                      + "Content-Length: 1000\r\n\r\nMessageSid=SM")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();

      // When the answer is read / Then it is a 403 at once, without waiting for the body
      String statusLine =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertThat(statusLine).isEqualTo("HTTP/1.1 403 Forbidden");
    }
    assertThat(published.raw()).isEmpty();
    assertThat(metrics.value("optin_webhooks_forged_total", "inbound")).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"MessageSid=SM%zz&From=%2B1", "Body=100%", "%G1=x", "From=%E"})
  void shouldRefuseASignedBodyWithMalformedFormEncodingAsForged(String body) throws Exception {
    // Given a body that is not form encoding, with a signature of some kind
    HttpResponse<String> response =
        server.send(
            HttpRequest.newBuilder(server.uri(InboundWebhookHandler.PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(TwilioSignatureCheck.HEADER, twilio.sign(SIGNED_URL, Map.of()))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());

    // Then it is refused as forged: Twilio never sends one, so it cannot be signed
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).isEqualTo("invalid signature");
    assertThat(published.raw()).isEmpty();
    assertThat(metrics.value("optin_webhooks_forged_total", "inbound")).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/webhooks/twilio/inbound/x",
        "/webhooks/twilio/inbound/%0d%0aforged",
        "/webhooks/twilio/inboundX",
        "/webhooks/twilio/inbound/status"
      })
  void shouldAnswer404ToAnyOtherPathUnderTheWebhook(String path) throws Exception {
    // Given a correctly signed reply, posted to another path under the webhook's
    Map<String, String> form = reply("SM-path", "YES");
    HttpResponse<String> response =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(TwilioSignatureCheck.HEADER, twilio.sign(PUBLIC_BASE + path, form))
                .POST(HttpRequest.BodyPublishers.ofString(TwilioSigner.encode(form)))
                .build());

    // Then it is not found, nothing is published, and no metric label is made of the path
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("{\"error\":\"no such resource\"}");
    assertThat(published.raw()).isEmpty();
    assertThat(metrics.value("optin_webhooks_forged_total", "x")).isZero();
  }

  @Test
  void shouldCountAForgedRequestUnderTheWebhookNameWhateverItsPath() throws Exception {
    // Given a forged reply posted to the webhook's path with a trailing slash
    Map<String, String> form = reply("SM-slash", "YES");
    HttpResponse<String> response =
        server.send(
            HttpRequest.newBuilder(server.uri(InboundWebhookHandler.PATH + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(TwilioSignatureCheck.HEADER, "forged")
                .POST(HttpRequest.BodyPublishers.ofString(TwilioSigner.encode(form)))
                .build());

    // Then it is counted under the fixed name "inbound"
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(metrics.value("optin_webhooks_forged_total", "inbound")).isEqualTo(1);
    assertThat(metrics.value("optin_webhooks_forged_total", "")).isZero();
  }

  @Test
  void shouldAnswer405WithAllowToAnythingButPost() throws Exception {
    HttpResponse<String> response =
        server.send(HttpRequest.newBuilder(server.uri(InboundWebhookHandler.PATH)).GET().build());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    assertThat(metrics.value("optin_webhooks_forged_total", "inbound")).isZero();
  }

  static Stream<Arguments> identifiersWithControls() {
    return Stream.of(
        Arguments.of("From", "+1415555\u001B0100"),
        Arguments.of("To", "+14155550999\u0000"),
        Arguments.of("MessageSid", "SM\u0085x"));
  }

  @ParameterizedTest
  @MethodSource("identifiersWithControls")
  void shouldRefuseSignedIdentifiersWithControlCharacters(String field, String value)
      throws Exception {
    // Given a signed reply whose field holds a control character
    Map<String, String> form = reply("SM-control", "YES");
    form.put(field, value);

    HttpResponse<String> response = signedPost(form);

    // Then it is refused, naming the field, and nothing is published
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo(field + " contains control characters");
    assertThat(published.raw()).isEmpty();
  }

  @Test
  void shouldKeepAReplyWithControlCharactersButStoreItNeutralised() throws Exception {
    // Given a signed STOP whose body holds ESC, NUL and a C1 control
    HttpResponse<String> response = signedPost(reply("SM-esc", "STOP\u001B[2J\u0000\u009B"));

    // Then the STOP counts, and the stored body holds no control character
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(published.on(Topics.SMS_INBOUND))
        .extracting(InboundSms::getMaskedBody)
        .containsExactly("STOP\uFFFD[2J\uFFFD\uFFFD");
  }

  @Test
  void shouldRefuseASignatureOfOtherParameters() throws Exception {
    Map<String, String> signed = reply("SM-1", "STOP");
    Map<String, String> sent = reply("SM-1", "YES");

    HttpResponse<String> response = post(sent, twilio.sign(SIGNED_URL, signed));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(published.raw()).isEmpty();
  }

  @Test
  void shouldPublishAYesAndAnswerWithItsOutcome() throws Exception {
    decided.put("SM-yes", Outcome.CONFIRMED);

    HttpResponse<String> response = signedPost(reply("SM-yes", "Yes!"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("xml"));
    assertThat(response.body()).isEqualTo(twiml(ReplyTexts.defaults().confirmed()));
    assertThat(published.on(Topics.SMS_INBOUND))
        .containsExactly(
            InboundSms.newBuilder()
                .setMessageSid("SM-yes")
                .setPhone(PHONE)
                .setToNumber(OUR_NUMBER)
                .setIntent(ReplyIntent.CONFIRM)
                .setCodeHash(null)
                .setMaskedBody("Yes!")
                .setReceivedAt(NOW)
                .setRule("keyword")
                .build());
    assertThat(published.raw())
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.key()).isEqualTo(PHONE);
              assertThat(record.timestamp()).isEqualTo(NOW.toEpochMilli());
            });
  }

  @Test
  void shouldPublishACodeOnlyAsItsKeyedHash() throws Exception {
    decided.put("SM-code", Outcome.wrongCode(3));

    HttpResponse<String> response = signedPost(reply("SM-code", "482 913"));

    assertThat(response.body()).isEqualTo(twiml(ReplyTexts.defaults().wrongCode(3)));
    assertThat(published.on(Topics.SMS_INBOUND))
        .singleElement()
        .satisfies(
            sms -> {
              assertThat(sms.getIntent()).isEqualTo(ReplyIntent.CODE);
              assertThat(sms.getCodeHash()).isEqualTo(CODES.codeHash("482913"));
              assertThat(sms.getMaskedBody()).isEqualTo("*** ***");
            });
    String bytes = new String(published.raw().get(0).value(), StandardCharsets.ISO_8859_1);
    assertThat(bytes).doesNotContain("482913").doesNotContain("482 913");
  }

  @Test
  void shouldAnswerHelpAtOnceWithTheHelpText() throws Exception {
    HttpResponse<String> response = signedPost(reply("SM-help", "help"));

    assertThat(response.body()).isEqualTo(twiml(ReplyTexts.defaults().help()));
    assertThat(published.on(Topics.SMS_INBOUND))
        .extracting(InboundSms::getIntent)
        .containsExactly(ReplyIntent.HELP);
  }

  @Test
  void shouldPublishAnOptOutPhraseAsStopAndAnswerWithTheStopText() throws Exception {
    HttpResponse<String> response = signedPost(reply("SM-phrase", "Please stop texting me!"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(twiml(ReplyTexts.defaults().stop()));
    assertThat(published.on(Topics.SMS_INBOUND))
        .containsExactly(
            InboundSms.newBuilder()
                .setMessageSid("SM-phrase")
                .setPhone(PHONE)
                .setToNumber(OUR_NUMBER)
                .setIntent(ReplyIntent.STOP)
                .setCodeHash(null)
                .setMaskedBody("Please stop texting me!")
                .setReceivedAt(NOW)
                .setRule("optout-phrase:en")
                .setStopScope("ALL")
                .build());
    assertThat(metrics.value("optin_replies_total", "STOP")).isEqualTo(1);
  }

  @Test
  void shouldStampAStopWithTheScopeInForceAndNoOtherReply() throws Exception {
    // Given replies.stop.scope=program
    server.close();
    serve(StopScope.PROGRAM);

    // When a STOP and a YES arrive
    signedPost(reply("SM-stop", "STOP"));
    signedPost(reply("SM-yes", "YES"));

    // Then the STOP carries the scope it is to be applied (and recorded) in, the YES none
    assertThat(published.on(Topics.SMS_INBOUND))
        .extracting(InboundSms::getMessageSid, InboundSms::getIntent, InboundSms::getStopScope)
        .containsExactly(
            tuple("SM-stop", ReplyIntent.STOP, "PROGRAM"),
            tuple("SM-yes", ReplyIntent.CONFIRM, null));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"No thanks | review:en", "nein danke | review:de", "¿Quién es? | review:es"})
  void shouldPublishAReviewReplyAnswerNothingAndCountItByRule(String body, String rule)
      throws Exception {
    HttpResponse<String> response = signedPost(reply("SM-review", body));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
    assertThat(published.on(Topics.SMS_INBOUND))
        .containsExactly(
            InboundSms.newBuilder()
                .setMessageSid("SM-review")
                .setPhone(PHONE)
                .setToNumber(OUR_NUMBER)
                .setIntent(ReplyIntent.REVIEW)
                .setCodeHash(null)
                .setMaskedBody(body)
                .setReceivedAt(NOW)
                .setRule(rule)
                .build());
    assertThat(metrics.value("optin_replies_total", "REVIEW")).isEqualTo(1);
    assertThat(metrics.value("optin_replies_review_total", rule)).isEqualTo(1);
  }

  @Test
  void shouldAnswerNothingWhenNoOutcomeIsDecidedInTime() throws Exception {
    HttpResponse<String> response = signedPost(reply("SM-slow", "YES"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
    assertThat(published.on(Topics.SMS_INBOUND)).hasSize(1);
  }

  @Test
  void shouldPublishAReplayedMessageSidAtMostOnce() throws Exception {
    decided.put("SM-replayed", Outcome.CONFIRMED);

    HttpResponse<String> first = signedPost(reply("SM-replayed", "YES"));
    HttpResponse<String> replay = signedPost(reply("SM-replayed", "YES"));

    assertThat(published.on(Topics.SMS_INBOUND)).hasSize(1);
    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(replay.body())
        .isEqualTo(first.body())
        .isEqualTo(twiml(ReplyTexts.defaults().confirmed()));
    assertThat(metrics.value("optin_replies_total", "CONFIRM")).isEqualTo(1);
  }

  @Test
  void shouldAnswer503WhenKafkaRefusesTheReplyAndPublishTheRetry() throws Exception {
    published.failSends(new TimeoutException("broker unavailable"));

    HttpResponse<String> refused = signedPost(reply("SM-retry", "STOP"));
    published.failSends(null);
    HttpResponse<String> retried = signedPost(reply("SM-retry", "STOP"));

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(published.on(Topics.SMS_INBOUND))
        .extracting(InboundSms::getIntent)
        .containsExactly(ReplyIntent.STOP);
  }

  @Test
  void shouldPublishAWhatsAppYesWithoutThePrefixesOnTheWhatsAppChannel() throws Exception {
    // Given a YES on WhatsApp, as Twilio posts it
    decided.put("SM-wa", Outcome.CONFIRMED);
    Map<String, String> form = reply("SM-wa", "YES");
    form.put("From", "whatsapp:" + PHONE);
    form.put("To", "whatsapp:" + OUR_NUMBER);
    form.put("WaId", PHONE.substring(1));

    // When
    HttpResponse<String> response = signedPost(form);

    // Then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(twiml(ReplyTexts.defaults().confirmed()));
    assertThat(published.on(Topics.SMS_INBOUND))
        .containsExactly(
            InboundSms.newBuilder()
                .setMessageSid("SM-wa")
                .setPhone(PHONE)
                .setToNumber(OUR_NUMBER)
                .setIntent(ReplyIntent.CONFIRM)
                .setCodeHash(null)
                .setMaskedBody("YES")
                .setReceivedAt(NOW)
                .setChannel(MessageChannel.WHATSAPP)
                .setRule("keyword")
                .build());
    assertThat(published.raw())
        .singleElement()
        .satisfies(r -> assertThat(r.key()).isEqualTo(PHONE));
  }

  @Test
  void shouldPublishAWhatsAppStopAsAStop() throws Exception {
    // Given
    Map<String, String> form = reply("SM-wa-stop", "stop");
    form.put("From", "WhatsApp:" + PHONE);
    form.put("To", "whatsapp:" + OUR_NUMBER);

    // When
    HttpResponse<String> response = signedPost(form);

    // Then
    assertThat(response.body()).isEqualTo(twiml(ReplyTexts.defaults().stop()));
    assertThat(published.on(Topics.SMS_INBOUND))
        .extracting(InboundSms::getPhone, InboundSms::getIntent, InboundSms::getChannel)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(PHONE, ReplyIntent.STOP, MessageChannel.WHATSAPP));
  }

  @Test
  void shouldRejectAWhatsAppSenderWithNoNumber() throws Exception {
    Map<String, String> form = reply("SM-wa-empty", "YES");
    form.put("From", "whatsapp:");

    HttpResponse<String> response = signedPost(form);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(published.raw()).isEmpty();
  }

  @Test
  void shouldRejectARequestWithoutSender() throws Exception {
    Map<String, String> form = reply("SM-nofrom", "YES");
    form.remove("From");

    HttpResponse<String> response = signedPost(form);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(published.raw()).isEmpty();
  }

  private static Map<String, String> reply(String sid, String body) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("MessageSid", sid);
    form.put("AccountSid", "AC" + "0".repeat(32));
    form.put("From", PHONE);
    form.put("To", OUR_NUMBER);
    form.put("Body", body);
    form.put("NumMedia", "0");
    return form;
  }

  private static String twiml(String text) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>"
        + text.replace("&", "&amp;").replace("'", "&apos;")
        + "</Message></Response>";
  }

  private HttpResponse<String> signedPost(Map<String, String> form) throws Exception {
    return post(form, twilio.sign(SIGNED_URL, form));
  }

  private HttpResponse<String> post(Map<String, String> form, String signature) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri(InboundWebhookHandler.PATH))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(TwilioSigner.encode(form)));
    if (signature != null) {
      request.header(TwilioSignatureCheck.HEADER, signature);
    }
    return server.send(request.build());
  }
}
