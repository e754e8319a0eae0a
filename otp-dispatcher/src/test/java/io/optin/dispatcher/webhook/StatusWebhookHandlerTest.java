package io.optin.dispatcher.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.optin.avro.DeliveryStatus;
import io.optin.avro.ReportSource;
import io.optin.avro.SmsDeliveryReport;
import io.optin.kit.http.HttpRoute;
import io.optin.kit.kafka.PublishedRecords;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.testing.LocalHttpServer;
import io.optin.kit.testing.TwilioSigner;
import io.optin.kit.twilio.TwilioSignatureCheck;
import io.optin.schemas.Topics;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The status callback webhook over real HTTP, with requests signed as Twilio signs them. */
class StatusWebhookHandlerTest {

  private static final String TOKEN = "test-auth-token";
  private static final String PUBLIC_BASE = "https://optin.example.com/";
  private static final String SIGNED_URL = "https://optin.example.com" + StatusWebhookHandler.PATH;
  private static final String PHONE = "+14155550100";
  private static final Instant NOW = Instant.parse("2025-03-01T10:01:00Z");

  private final PublishedRecords published = new PublishedRecords();
  private final TwilioSigner twilio = new TwilioSigner(TOKEN);
  private final AtomicInteger reportIds = new AtomicInteger();
  private final OptinMetrics metrics = OptinMetrics.unexposed();
  private LocalHttpServer server;

  @BeforeEach
  void start() throws Exception {
    StatusWebhookHandler handler =
        new StatusWebhookHandler(
            new TwilioSignatureCheck(TOKEN, PUBLIC_BASE, metrics),
            published.publisher(),
            Clock.fixed(NOW, ZoneOffset.UTC),
            () -> "report-" + reportIds.incrementAndGet(),
            100);
    server = new LocalHttpServer(List.of(new HttpRoute(StatusWebhookHandler.PATH, handler)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void shouldRefuseAForgedStatusCallbackAndPublishNothing() throws Exception {
    Map<String, String> form = callback("SM-1", "delivered", null);

    HttpResponse<String> response =
        post(form, new TwilioSigner("not-our-token").sign(SIGNED_URL, form));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(published.raw()).isEmpty();
  }

  @Test
  void shouldRefuseAnUnsignedStatusCallback() throws Exception {
    HttpResponse<String> response = post(callback("SM-1", "delivered", null), null);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(published.raw()).isEmpty();
  }

  @Test
  void shouldCountForgedCallbacksUnderTheFixedWebhookName() throws Exception {
    // Given an unsigned callback, and a signed one whose form encoding is malformed
    HttpResponse<String> unsigned = post(callback("SM-1", "delivered", null), null);
    HttpResponse<String> malformed =
        server.send(
            HttpRequest.newBuilder(server.uri(StatusWebhookHandler.PATH + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(TwilioSignatureCheck.HEADER, twilio.sign(SIGNED_URL, Map.of()))
                .POST(HttpRequest.BodyPublishers.ofString("MessageSid=SM%2"))
                .build());

    // Then both are refused as forged and counted under "status", never under the path
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(malformed.statusCode()).isEqualTo(403);
    assertThat(metrics.value("optin_webhooks_forged_total", "status")).isEqualTo(2);
    assertThat(published.raw()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/webhooks/twilio/status/x", "/webhooks/twilio/statusx"})
  void shouldAnswer404ToAnyOtherPathUnderTheWebhook(String path) throws Exception {
    Map<String, String> form = callback("SM-1", "delivered", null);
    HttpResponse<String> response =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(TwilioSignatureCheck.HEADER, twilio.sign(SIGNED_URL, form))
                .POST(HttpRequest.BodyPublishers.ofString(TwilioSigner.encode(form)))
                .build());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(published.raw()).isEmpty();
    assertThat(metrics.value("optin_webhooks_forged_total", "x")).isZero();
  }

  @Test
  void shouldRefuseAStatusWithAControlCharacterAndStoreAnErrorMessageNeutralised()
      throws Exception {
    // Given a signed callback whose To holds a NUL, and one whose ErrorMessage holds an ESC
    Map<String, String> badTo = callback("SM-1", "failed", null);
    badTo.put("To", PHONE + "\u0000");
    Map<String, String> escaped = callback("SM-2", "failed", "30003");
    escaped.put("ErrorMessage", "Unreachable\u001B[2J");

    HttpResponse<String> refused = signedPost(badTo);
    HttpResponse<String> accepted = signedPost(escaped);

    // Then the first is refused naming To; the second is kept without its control character
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).isEqualTo("To contains control characters");
    assertThat(accepted.statusCode()).isEqualTo(204);
    assertThat(published.on(Topics.SMS_DELIVERY))
        .extracting(SmsDeliveryReport::getMessageSid, SmsDeliveryReport::getErrorMessage)
        .containsExactly(tuple("SM-2", "Unreachable\uFFFD[2J"));
  }

  @Test
  void shouldPublishADeliveryReportWithTheProviderErrorCode() throws Exception {
    HttpResponse<String> response = signedPost(callback("SM-1", "undelivered", "30003"));

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(published.on(Topics.SMS_DELIVERY))
        .containsExactly(
            SmsDeliveryReport.newBuilder()
                .setReportId("report-1")
                .setCommandId(null)
                .setChallengeId(null)
                .setProgramId(null)
                .setPhone(PHONE)
                .setMessageSid("SM-1")
                .setStatus(DeliveryStatus.UNDELIVERED)
                .setErrorCode(30003)
                .setErrorMessage(null)
                .setAttempts(1)
                .setMaskedBody(null)
                .setSource(ReportSource.STATUS_CALLBACK)
                .setOccurredAt(NOW)
                .build());
    assertThat(published.raw())
        .singleElement()
        .satisfies(r -> assertThat(r.key()).isEqualTo(PHONE));
  }

  @Test
  void shouldPublishAReplayedStatusOnceButEachNewStatus() throws Exception {
    signedPost(callback("SM-1", "sent", null));
    HttpResponse<String> replay = signedPost(callback("SM-1", "sent", null));
    signedPost(callback("SM-1", "delivered", null));

    assertThat(replay.statusCode()).isEqualTo(204);
    assertThat(published.on(Topics.SMS_DELIVERY))
        .extracting(SmsDeliveryReport::getStatus)
        .containsExactly(DeliveryStatus.SENT, DeliveryStatus.DELIVERED);
  }

  @Test
  void shouldAnswer503WhenKafkaRefusesTheStatusAndPublishTheRetry() throws Exception {
    published.failSends(new TimeoutException("broker unavailable"));

    HttpResponse<String> refused = signedPost(callback("SM-1", "delivered", null));
    published.failSends(null);
    HttpResponse<String> retried = signedPost(callback("SM-1", "delivered", null));

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).isEqualTo("try again later");
    assertThat(retried.statusCode()).isEqualTo(204);
    assertThat(published.on(Topics.SMS_DELIVERY))
        .extracting(SmsDeliveryReport::getStatus)
        .containsExactly(DeliveryStatus.DELIVERED);
  }

  @Test
  void shouldRefuseACallbackWithoutItsStatusAndPublishNothing() throws Exception {
    Map<String, String> form = callback("SM-1", "delivered", null);
    form.remove("MessageStatus");
    form.remove("SmsStatus");

    HttpResponse<String> response = signedPost(form);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo("MessageSid, To and MessageStatus are required");
    assertThat(published.raw()).isEmpty();
  }

  private static Map<String, String> callback(String sid, String status, String errorCode) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("MessageSid", sid);
    form.put("SmsSid", sid);
    form.put("AccountSid", "AC" + "0".repeat(32));
    form.put("From", "+14155550999");
    form.put("To", PHONE);
    form.put("MessageStatus", status);
    form.put("SmsStatus", status);
    if (errorCode != null) {
      form.put("ErrorCode", errorCode);
    }
    return form;
  }

  private HttpResponse<String> signedPost(Map<String, String> form) throws Exception {
    return post(form, twilio.sign(SIGNED_URL, form));
  }

  private HttpResponse<String> post(Map<String, String> form, String signature) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri(StatusWebhookHandler.PATH))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(TwilioSigner.encode(form)));
    if (signature != null) {
      request.header(TwilioSignatureCheck.HEADER, signature);
    }
    return server.send(request.build());
  }
}
