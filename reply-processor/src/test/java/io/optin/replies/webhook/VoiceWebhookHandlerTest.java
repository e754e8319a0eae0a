package io.optin.replies.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.InboundSms;
import io.optin.avro.MessageChannel;
import io.optin.avro.ReplyIntent;
import io.optin.kit.http.HttpExchanges;
import io.optin.kit.http.HttpRoute;
import io.optin.kit.kafka.PublishedRecords;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.testing.LocalHttpServer;
import io.optin.kit.testing.TwilioSigner;
import io.optin.kit.twilio.TwilioSignatureCheck;
import io.optin.replies.lookup.OutcomeWait;
import io.optin.replies.matching.Outcome;
import io.optin.schemas.Topics;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The voice webhook over real HTTP, with requests signed as Twilio signs them. */
class VoiceWebhookHandlerTest {

  private static final String TOKEN = "test-auth-token";
  private static final String PUBLIC_BASE = "https://optin.example.com";
  private static final String PHONE = "+14155550100";
  private static final String OUR_NUMBER = "+14155550999";
  private static final String CALL_SID = "CA" + "0123456789abcdef".repeat(2);
  private static final Instant NOW = Instant.parse("2025-03-01T10:02:00Z");
  private static final String PROLOG = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

  private final PublishedRecords published = new PublishedRecords();
  private final Map<String, Outcome> decided = new ConcurrentHashMap<>();
  private final TwilioSigner twilio = new TwilioSigner(TOKEN);
  private final OptinMetrics metrics = OptinMetrics.unexposed();
  private LocalHttpServer server;

  @BeforeEach
  void start() throws Exception {
    // Stands in for the topology: an outcome is known only for key presses that were published.
    OutcomeWait outcomes =
        new OutcomeWait(
            id ->
                published.on(Topics.SMS_INBOUND).stream()
                        .anyMatch(sms -> sms.getMessageSid().equals(id))
                    ? Optional.ofNullable(decided.get(id))
                    : Optional.empty(),
            Duration.ofMillis(300));
    VoiceWebhookHandler handler =
        new VoiceWebhookHandler(
            new TwilioSignatureCheck(TOKEN, PUBLIC_BASE, metrics),
            published.publisher(),
            outcomes,
            Clock.fixed(NOW, ZoneOffset.UTC),
            100,
            metrics);
    server = new LocalHttpServer(List.of(new HttpRoute(VoiceWebhookHandler.PATH, handler)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void shouldPublishKeyOneAsAVoiceConfirmOfTheCalleeAndSayItsOutcome() throws Exception {
    // Given
    decided.put(CALL_SID + ":keypress", Outcome.CONFIRMED);

    // When
    HttpResponse<String> response = signedPost("", keys("1"));

    // Then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("xml"));
    assertThat(response.body())
        .isEqualTo(
            PROLOG
                + "<Response><Say language=\"en-US\">Confirmed, thank you. Goodbye.</Say>"
                + "<Hangup/></Response>");
    assertThat(published.on(Topics.SMS_INBOUND))
        .containsExactly(
            InboundSms.newBuilder()
                .setMessageSid(CALL_SID + ":keypress")
                .setPhone(PHONE)
                .setToNumber(OUR_NUMBER)
                .setIntent(ReplyIntent.CONFIRM)
                .setCodeHash(null)
                .setMaskedBody("[key 1]")
                .setReceivedAt(NOW)
                .setChannel(MessageChannel.VOICE)
                .build());
    assertThat(published.raw())
        .singleElement()
        .satisfies(r -> assertThat(r.key()).isEqualTo(PHONE));
    assertThat(metrics.value("optin_replies_total", "CONFIRM")).isEqualTo(1);
  }

  @ParameterizedTest(name = "?{0} says {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "lang=fr | fr-FR | C'est confirmé, merci. Au revoir.",
        "lang=fr-CA | fr-CA | C'est confirmé, merci. Au revoir.",
        "locale=es_MX | es-MX | Confirmado, gracias. Adiós.",
        "lang=de-DE | de-DE | Bestätigt, vielen Dank. Auf Wiederhören.",
        "lang=ja | en-US | Confirmed, thank you. Goodbye.",
        "lang=%3Cscript%3E | en-US | Confirmed, thank you. Goodbye."
      })
  void shouldSayTheOutcomeInTheLanguageOfTheActionUrl(String query, String say, String text)
      throws Exception {
    // Given
    decided.put(CALL_SID + ":keypress", Outcome.CONFIRMED);

    // When
    HttpResponse<String> response = signedPost("?" + query, keys("1"));

    // Then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .isEqualTo(
            PROLOG
                + "<Response><Say language=\""
                + say
                + "\">"
                + text.replace("'", "&apos;")
                + "</Say><Hangup/></Response>");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "EXPIRED | This code has expired. Please sign up again to get a new code. Goodbye.",
        "LOCKED | Too many wrong codes. Please sign up again to get a new code. Goodbye.",
        "NO_CHALLENGE | There is nothing to confirm for this number. Goodbye.",
        "ALREADY_CONFIRMED | Confirmed, thank you. Goodbye."
      })
  void shouldSayTheRefusalMatchingTheOutcome(Outcome.Kind kind, String text) throws Exception {
    // Given
    decided.put(CALL_SID + ":keypress", new Outcome(kind, 0));

    // When
    HttpResponse<String> response = signedPost("", keys("1"));

    // Then
    assertThat(response.body())
        .isEqualTo(
            PROLOG + "<Response><Say language=\"en-US\">" + text + "</Say><Hangup/></Response>");
  }

  @Test
  void shouldSayTheKeyIsRecordedWhenItsOutcomeIsNotKnownInTime() throws Exception {
    HttpResponse<String> response = signedPost("", keys("1"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .isEqualTo(
            PROLOG
                + "<Response><Say language=\"en-US\">Thank you, your answer has been recorded."
                + " Goodbye.</Say><Hangup/></Response>");
    assertThat(published.on(Topics.SMS_INBOUND)).hasSize(1);
  }

  @ParameterizedTest(name = "Digits \"{0}\"")
  @ValueSource(strings = {"2", "0", "*", "#", "11", "12", "", "one"})
  void shouldChangeNothingForAnyOtherKeyAndAskAgain(String digits) throws Exception {
    // When
    HttpResponse<String> response = signedPost("?lang=en", keys(digits));

    // Then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .isEqualTo(
            PROLOG
                + "<Response><Gather numDigits=\"1\"><Say language=\"en-US\">That key does not"
                + " confirm. Press 1 to confirm, or hang up.</Say></Gather>"
                + "<Say language=\"en-US\">Nothing was confirmed. Goodbye.</Say><Hangup/></Response>");
    assertThat(published.raw()).isEmpty();
  }

  @Test
  void shouldTakeTheCallerAsTheSubscriberOnACallTheyPlaced() throws Exception {
    // Given a call to our number (Direction inbound): the subscriber is From
    Map<String, String> form = keys("1");
    form.put("Direction", "inbound");
    form.put("From", PHONE);
    form.put("To", OUR_NUMBER);

    // When
    signedPost("", form);

    // Then
    assertThat(published.on(Topics.SMS_INBOUND))
        .extracting(InboundSms::getPhone, InboundSms::getToNumber)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(PHONE, OUR_NUMBER));
  }

  @Test
  void shouldPublishAReplayedKeyPressOfTheSameCallOnce() throws Exception {
    // Given
    decided.put(CALL_SID + ":keypress", Outcome.CONFIRMED);

    // When
    HttpResponse<String> first = signedPost("", keys("1"));
    HttpResponse<String> replay = signedPost("", keys("1"));

    // Then
    assertThat(published.on(Topics.SMS_INBOUND)).hasSize(1);
    assertThat(replay.body()).isEqualTo(first.body()).contains("Confirmed, thank you.");
    assertThat(metrics.value("optin_replies_total", "CONFIRM")).isEqualTo(1);
  }

  @Test
  void shouldAskAgainWhenKafkaRefusesTheKeyAndPublishTheRetry() throws Exception {
    // Given Kafka refuses the first key press
    published.failSends(new TimeoutException("broker unavailable"));
    HttpResponse<String> refused = signedPost("?lang=de", keys("1"));
    published.failSends(null);

    // When the callee presses 1 again
    HttpResponse<String> retried = signedPost("?lang=de", keys("1"));

    // Then the first was asked again, not a 5xx, and the second recorded
    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(refused.body())
        .startsWith(PROLOG + "<Response><Gather numDigits=\"1\"><Say language=\"de-DE\">")
        .contains("Ihre Antwort konnte leider nicht gespeichert werden.");
    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(published.on(Topics.SMS_INBOUND))
        .extracting(InboundSms::getMessageSid)
        .containsExactly(CALL_SID + ":keypress");
  }

  @Test
  void shouldRefuseAForgedSignatureAndPublishNothing() throws Exception {
    Map<String, String> form = keys("1");
    String url = PUBLIC_BASE + VoiceWebhookHandler.PATH;

    HttpResponse<String> forged = post("", form, new TwilioSigner("another-token").sign(url, form));
    HttpResponse<String> unsigned = post("", form, null);
    // A signature over another URL (the language changed) does not verify either.
    HttpResponse<String> otherUrl = post("?lang=fr", form, twilio.sign(url, form));

    assertThat(List.of(forged, unsigned, otherUrl))
        .extracting(HttpResponse::statusCode)
        .containsExactly(403, 403, 403);
    assertThat(published.raw()).isEmpty();
    assertThat(metrics.value("optin_webhooks_forged_total", "voice")).isEqualTo(3);
  }

  @ParameterizedTest(name = "without {0}")
  @ValueSource(strings = {"CallSid", "To"})
  void shouldAnswer400WithoutTheCallOrTheCallee(String missing) throws Exception {
    Map<String, String> form = keys("1");
    form.remove(missing);

    HttpResponse<String> response = signedPost("", form);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(published.raw()).isEmpty();
  }

  @Test
  void shouldAnswer400ToControlCharactersInTheIdentifiers() throws Exception {
    Map<String, String> form = keys("1");
    form.put("CallSid", "CA1\r\nforged");

    HttpResponse<String> response = signedPost("", form);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(published.raw()).isEmpty();
  }

  @Test
  void shouldAnswer413ToABodyAboveTheCap() throws Exception {
    Map<String, String> form = keys("1");
    form.put("Padding", "x".repeat(HttpExchanges.MAX_BODY_BYTES));

    HttpResponse<String> response = signedPost("", form);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(published.raw()).isEmpty();
  }

  /** What Twilio posts to a {@code <Gather action>} on a call optin placed. */
  private static Map<String, String> keys(String digits) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("AccountSid", "AC" + "0".repeat(32));
    form.put("ApiVersion", "2010-04-01");
    form.put("CallSid", CALL_SID);
    form.put("CallStatus", "in-progress");
    form.put("Called", PHONE);
    form.put("Caller", OUR_NUMBER);
    form.put("Direction", "outbound-api");
    form.put("From", OUR_NUMBER);
    form.put("To", PHONE);
    form.put("Digits", digits);
    form.put("FinishedOnKey", "");
    form.put("msg", "Gather End");
    return form;
  }

  private HttpResponse<String> signedPost(String query, Map<String, String> form) throws Exception {
    return post(query, form, twilio.sign(PUBLIC_BASE + VoiceWebhookHandler.PATH + query, form));
  }

  private HttpResponse<String> post(String query, Map<String, String> form, String signature)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri(VoiceWebhookHandler.PATH + query))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(TwilioSigner.encode(form)));
    if (signature != null) {
      request.header(TwilioSignatureCheck.HEADER, signature);
    }
    return server.send(request.build());
  }
}
