package io.optin.replies.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.InboundSms;
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
import io.optin.replies.parse.ReplyParser;
import io.optin.schemas.Topics;
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
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
            metrics);
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
