package io.optin.devkit.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.security.RequestValidator;
import io.optin.dispatcher.sms.OutgoingSms;
import io.optin.dispatcher.sms.SendResult;
import io.optin.dispatcher.sms.TwilioClientSettings;
import io.optin.dispatcher.sms.TwilioClients;
import io.optin.dispatcher.sms.TwilioCredentials;
import io.optin.dispatcher.sms.TwilioSmsGateway;
import io.optin.kit.http.HttpExchanges;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real twilio-java SDK, through optin's {@link TwilioSmsGateway}, against the sandbox over real
 * HTTP; webhooks land on a real HTTP endpoint and are checked with twilio-java's own {@link
 * RequestValidator}.
 */
class TwilioSandboxTest {

  private static final String ACCOUNT_SID = "AC" + "0".repeat(32);
  private static final String AUTH_TOKEN = "test-auth-token";
  private static final String OPTIN_NUMBER = "+15005550006";
  private static final String PHONE = "+15551230001";
  private static final Duration AT_MOST = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final RequestValidator validator = new RequestValidator(AUTH_TOKEN);
  private TwilioSandbox sandbox;
  private WebhookReceiver optin;
  private TwilioSmsGateway gateway;

  @BeforeEach
  void start() throws IOException {
    optin = new WebhookReceiver();
    sandbox =
        new TwilioSandbox("127.0.0.1", 0, ACCOUNT_SID, AUTH_TOKEN)
            .callbackDelay(Duration.ZERO)
            .start();
    gateway = new TwilioSmsGateway(client(AUTH_TOKEN));
  }

  @AfterEach
  void stop() {
    gateway.close();
    sandbox.close();
    optin.close();
  }

  private TwilioRestClient client(String authToken) {
    return TwilioClients.create(
        TwilioClientSettings.of(TwilioCredentials.authToken(ACCOUNT_SID, authToken))
            .withApiBaseUrl(sandbox.baseUrl()));
  }

  private static OutgoingSms sms(String to, String body, URI statusCallback) {
    return OutgoingSms.fromNumber(to, OPTIN_NUMBER, body, statusCallback);
  }

  @Test
  void shouldAcceptAMessageFromTheSdkAndListItForThePhone() {
    // When
    SendResult result = gateway.send(sms(PHONE, "Your code is 123456", null));

    // Then
    assertThat(result)
        .isInstanceOfSatisfying(
            SendResult.Accepted.class,
            accepted -> {
              assertThat(accepted.sid()).matches("SM[0-9a-f]{32}");
              assertThat(accepted.status()).isEqualTo("queued");
              assertThat(sandbox.messagesTo(PHONE))
                  .singleElement()
                  .satisfies(
                      message -> {
                        assertThat(message.sid()).isEqualTo(accepted.sid());
                        assertThat(message.from()).isEqualTo(OPTIN_NUMBER);
                        assertThat(message.body()).isEqualTo("Your code is 123456");
                      });
            });
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () ->
                assertThat(sandbox.messagesTo(PHONE))
                    .extracting(SandboxMessage::status)
                    .containsExactly("delivered"));
  }

  @Test
  void shouldSendThroughAMessagingServiceAndReportItsSender() {
    // Given
    String serviceSid = "MG" + "0".repeat(32);
    URI callback = optin.url("/webhooks/twilio/status");

    // When
    SendResult result =
        gateway.send(OutgoingSms.viaMessagingService(PHONE, serviceSid, "Hello", callback));

    // Then
    assertThat(result)
        .isInstanceOfSatisfying(
            SendResult.Accepted.class,
            accepted -> assertThat(accepted.status()).isEqualTo("accepted"));
    await().atMost(AT_MOST).until(() -> optin.received().size() == 2);
    assertThat(optin.received())
        .allSatisfy(
            c ->
                assertThat(c.form())
                    .containsEntry("MessagingServiceSid", serviceSid)
                    .containsEntry("From", MessagesApi.MESSAGING_SERVICE_NUMBER));
  }

  @Test
  void shouldLetTheSdkFetchAMessageWithItsCurrentStatus() {
    // Given
    String sid = ((SendResult.Accepted) gateway.send(sms(PHONE, "Hello", null))).sid();
    TwilioRestClient client = client(AUTH_TOKEN);

    // When / Then
    try {
      await()
          .atMost(AT_MOST)
          .untilAsserted(
              () -> {
                Message fetched = Message.fetcher(sid).fetch(client);
                assertThat(fetched.getStatus()).isEqualTo(Message.Status.DELIVERED);
                assertThat(fetched.getTo()).isEqualTo(PHONE);
                assertThat(fetched.getBody()).isEqualTo("Hello");
                assertThat(fetched.getDateCreated()).isNotNull();
              });
    } finally {
      TwilioClients.close(client);
    }
  }

  @ParameterizedTest(name = "To {0} from {1} is refused with {2}")
  @CsvSource({
    "+15005550001, +15005550006, 21211",
    "+15005550002, +15005550006, 21612",
    "+15005550003, +15005550006, 21408",
    "+15005550004, +15005550006, 21610",
    "+15005550009, +15005550006, 21614",
    "+15551230001, +15005550001, 21212",
    "not-a-number, +15005550006, 21211"
  })
  void shouldRefuseTwilioMagicNumbersPermanently(String to, String from, int code) {
    // When
    SendResult result = gateway.send(OutgoingSms.fromNumber(to, from, "Hello", null));

    // Then
    assertThat(result)
        .isInstanceOfSatisfying(
            SendResult.PermanentFailure.class,
            failure -> assertThat(failure.errorCode()).isEqualTo(code));
    assertThat(sandbox.messagesTo(to)).isEmpty();
  }

  @Test
  void shouldPostSignedStatusCallbacksSentThenDelivered() {
    // Given
    URI callback = optin.url("/webhooks/twilio/status");

    // When
    String sid = ((SendResult.Accepted) gateway.send(sms(PHONE, "Hello", callback))).sid();

    // Then
    await().atMost(AT_MOST).until(() -> optin.received().size() == 2);
    List<WebhookReceiver.Received> callbacks = optin.received();
    assertThat(callbacks)
        .extracting(c -> c.form().get("MessageStatus"))
        .containsExactly("sent", "delivered");
    assertThat(callbacks)
        .allSatisfy(
            c -> {
              assertThat(c.url()).isEqualTo(callback);
              assertThat(validator.validate(c.url().toString(), c.form(), c.signature())).isTrue();
              assertThat(c.form())
                  .containsEntry("MessageSid", sid)
                  .containsEntry("AccountSid", ACCOUNT_SID)
                  .containsEntry("From", OPTIN_NUMBER)
                  .containsEntry("To", PHONE)
                  .containsEntry("SmsStatus", c.form().get("MessageStatus"))
                  .doesNotContainKey("ErrorCode");
            });
  }

  @Test
  void shouldReportUndeliveredWithTheScriptedErrorCode() {
    // Given
    String unreachable = "+15551233003";
    URI callback = optin.url("/webhooks/twilio/status");

    // When
    gateway.send(sms(unreachable, "Hello", callback));

    // Then
    await().atMost(AT_MOST).until(() -> optin.received().size() == 2);
    assertThat(optin.received())
        .extracting(c -> c.form().get("MessageStatus"), c -> c.form().get("ErrorCode"))
        .containsExactly(tuple("sent", null), tuple("undelivered", "30003"));
    assertThat(sandbox.messagesTo(unreachable))
        .singleElement()
        .satisfies(
            message -> {
              assertThat(message.status()).isEqualTo("undelivered");
              assertThat(message.errorCode()).isEqualTo(30003);
            });
  }

  @Test
  void shouldPostASignedInboundWebhookWhenThePhoneReplies() {
    // Given
    optin.answering(
        200,
        "text/xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>You are confirmed.</Message></Response>");
    URI inbound = optin.url("/webhooks/twilio/inbound");

    // When
    WebhookAnswer answer = sandbox.reply(PHONE, OPTIN_NUMBER, "YES", inbound);

    // Then
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).contains("<Message>You are confirmed.</Message>");
    assertThat(optin.received())
        .singleElement()
        .satisfies(
            webhook -> {
              assertThat(webhook.url()).isEqualTo(inbound);
              assertThat(
                      validator.validate(inbound.toString(), webhook.form(), webhook.signature()))
                  .isTrue();
              assertThat(webhook.form())
                  .containsEntry("From", PHONE)
                  .containsEntry("To", OPTIN_NUMBER)
                  .containsEntry("Body", "YES")
                  .containsEntry("AccountSid", ACCOUNT_SID)
                  .containsEntry("NumMedia", "0")
                  .containsEntry("SmsStatus", "received")
                  .containsEntry("ApiVersion", "2010-04-01");
              assertThat(webhook.form().get("MessageSid")).matches("SM[0-9a-f]{32}");
            });
    assertThat(sandbox.messagesTo(PHONE))
        .extracting(SandboxMessage::body)
        .containsExactly("You are confirmed.");
  }

  @Test
  void shouldRedeliverAFailedReplyWithTheSameMessageSidAsTwilioRetries() {
    // Given a reply whose webhook answered 503
    optin.answering(503, "text/plain", "try again later");
    URI inbound = optin.url("/webhooks/twilio/inbound");
    assertThat(sandbox.reply(PHONE, OPTIN_NUMBER, "YES", inbound).status()).isEqualTo(503);
    String sid = sandbox.conversationWith(PHONE).get(0).sid();

    // When Twilio retries it and optin answers this time
    optin.answering(
        200,
        "text/xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>You are confirmed.</Message></Response>");
    WebhookAnswer answer = sandbox.redeliver(sid, inbound);

    // Then the same message was posted twice, signed both times, and answered once
    assertThat(answer.status()).isEqualTo(200);
    assertThat(optin.received())
        .hasSize(2)
        .allSatisfy(
            webhook -> {
              assertThat(webhook.form())
                  .containsEntry("MessageSid", sid)
                  .containsEntry("Body", "YES");
              assertThat(
                      validator.validate(inbound.toString(), webhook.form(), webhook.signature()))
                  .isTrue();
            });
    assertThat(sandbox.conversationWith(PHONE))
        .extracting(SandboxMessage::direction)
        .containsExactly(SandboxMessage.INBOUND, SandboxMessage.OUTBOUND_REPLY);
  }

  @Test
  void shouldRefuseToRedeliverAMessageThatIsNotAReply() {
    // Given
    String sent = ((SendResult.Accepted) gateway.send(sms(PHONE, "Hello", null))).sid();

    // When / Then
    assertThatThrownBy(() -> sandbox.redeliver(sent, optin.url("/webhooks/twilio/inbound")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(sent);
    assertThat(optin.received()).isEmpty();
  }

  @Test
  void shouldHoldTheAnswerOfAnAcceptedMessageUntilTheDelayIsShortened() {
    // Given a provider that answers an hour late
    sandbox.apiAnswerDelay(Duration.ofHours(1));

    // When a message is sent
    CompletableFuture<SendResult> result =
        CompletableFuture.supplyAsync(() -> gateway.send(sms(PHONE, "Hi", null)));

    // Then it is accepted and recorded while its answer is held
    await().atMost(AT_MOST).until(() -> sandbox.heldApiAnswers() == 1);
    assertThat(sandbox.messagesTo(PHONE))
        .singleElement()
        .extracting(SandboxMessage::body)
        .isEqualTo("Hi");
    assertThat(result).isNotDone();

    // When the delay is shortened, the held answer is released with the recorded message
    sandbox.apiAnswerDelay(Duration.ZERO);
    assertThat(result.join())
        .isInstanceOfSatisfying(
            SendResult.Accepted.class,
            accepted ->
                assertThat(accepted.sid()).isEqualTo(sandbox.messagesTo(PHONE).get(0).sid()));
    assertThat(sandbox.heldApiAnswers()).isZero();
  }

  @Test
  void shouldNotValidateASignatureMadeWithAnotherToken() {
    // Given
    URI inbound = optin.url("/webhooks/twilio/inbound");

    // When
    sandbox.reply(PHONE, OPTIN_NUMBER, "YES", inbound);

    // Then: the check in the test is a real one
    WebhookReceiver.Received webhook = optin.received().get(0);
    assertThat(
            new RequestValidator("another-token")
                .validate(inbound.toString(), webhook.form(), webhook.signature()))
        .isFalse();
  }

  @Test
  void shouldListMessagesOnThePageWithBodiesEscaped() throws Exception {
    // Given
    gateway.send(sms(PHONE, "<script>alert('x')</script> & more", null));

    // When
    HttpResponse<String> page = get("/");

    // Then
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body())
        .contains(PHONE)
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more")
        .doesNotContain("<script>alert");
  }

  @Test
  void shouldPostAReplyTypedOnThePageToTheInboundWebhook() throws Exception {
    // Given
    sandbox.inboundWebhookUrl(optin.url("/webhooks/twilio/inbound"));
    gateway.send(sms(PHONE, "Reply YES to confirm", null));
    String form = "phone=" + enc(PHONE) + "&to=" + enc(OPTIN_NUMBER) + "&body=" + enc("yes please");

    // When
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(sandbox.baseUrl().resolve("/sandbox/reply"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    // Then
    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).startsWith("/?"));
    assertThat(optin.received())
        .singleElement()
        .satisfies(
            webhook -> {
              assertThat(webhook.form())
                  .containsEntry("From", PHONE)
                  .containsEntry("Body", "yes please");
              assertThat(
                      validator.validate(
                          webhook.url().toString(), webhook.form(), webhook.signature()))
                  .isTrue();
            });
  }

  @Test
  void shouldServeEveryMessageAsJson() throws Exception {
    // Given
    String sid = ((SendResult.Accepted) gateway.send(sms(PHONE, "Hello", null))).sid();

    // When
    JsonNode messages = json.readTree(get("/sandbox/messages.json").body()).get("messages");

    // Then
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).get("sid").asText()).isEqualTo(sid);
    assertThat(messages.get(0).get("to").asText()).isEqualTo(PHONE);
    assertThat(messages.get(0).get("body").asText()).isEqualTo("Hello");
  }

  @Test
  void shouldRefuseWrongCredentialsWithTwilioError20003() throws Exception {
    // When: through the SDK
    SendResult result;
    try (TwilioSmsGateway intruder = new TwilioSmsGateway(client("wrong-token"))) {
      result = intruder.send(sms(PHONE, "Hello", null));
    }
    // and raw
    HttpResponse<String> raw =
        http.send(
            HttpRequest.newBuilder(messagesUrl())
                .header("Authorization", basic(ACCOUNT_SID, "wrong-token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "To=%2B15551230001&From=%2B15005550006&Body=Hi"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    // Then
    assertThat(result)
        .isInstanceOfSatisfying(
            SendResult.PermanentFailure.class,
            failure -> assertThat(failure.errorCode()).isEqualTo(20003));
    assertThat(raw.statusCode()).isEqualTo(401);
    assertThat(json.readTree(raw.body()).get("code").asInt()).isEqualTo(20003);
    assertThat(sandbox.messagesTo(PHONE)).isEmpty();
  }

  @Test
  void shouldRequireToAndBodyWithTwilioCodes() throws Exception {
    // When
    HttpResponse<String> noTo = postMessage(Map.of("From", OPTIN_NUMBER, "Body", "Hi"));
    HttpResponse<String> noBody = postMessage(Map.of("To", PHONE, "From", OPTIN_NUMBER));

    // Then
    assertThat(noTo.statusCode()).isEqualTo(400);
    assertThat(json.readTree(noTo.body()).get("code").asInt()).isEqualTo(21604);
    assertThat(noBody.statusCode()).isEqualTo(400);
    assertThat(json.readTree(noBody.body()).get("code").asInt()).isEqualTo(21602);
    assertThat(json.readTree(noBody.body()).get("more_info").asText())
        .isEqualTo("https://www.twilio.com/docs/errors/21602");
  }

  @Test
  void shouldRefuseAMessageBodyAboveTheCapWith413() throws Exception {
    // Given a form one KiB above the cap, with and without a declared length
    String form =
        FormData.encode(
            Map.of(
                "To",
                PHONE,
                "From",
                OPTIN_NUMBER,
                "Body",
                "x".repeat(HttpExchanges.MAX_BODY_BYTES + 1024)));

    // When it is posted
    HttpResponse<String> declared = postMessage(HttpRequest.BodyPublishers.ofString(form));
    HttpResponse<String> chunked =
        postMessage(
            HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(form.getBytes(StandardCharsets.UTF_8))));

    // Then both are refused in Twilio's error shape, and nothing was accepted
    for (HttpResponse<String> refused : List.of(declared, chunked)) {
      assertThat(refused.statusCode()).isEqualTo(413);
      assertThat(json.readTree(refused.body()))
          .isEqualTo(
              json.readTree(
                  "{\"code\":413,\"message\":\"Request body is larger than 65536 bytes.\","
                      + "\"more_info\":\"https://www.twilio.com/docs/errors/413\",\"status\":413}"));
    }
    assertThat(sandbox.messagesTo(PHONE)).isEmpty();
  }

  @Test
  void shouldRefuseAMalformedFormWith400() throws Exception {
    // When a form with a broken percent-escape is posted
    HttpResponse<String> refused =
        postMessage(HttpRequest.BodyPublishers.ofString("To=%2B1555123000%G1&From=x&Body=Hi"));

    // Then it is answered, not dropped
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(json.readTree(refused.body()).get("message").asText())
        .isEqualTo("The request body is not a valid URL-encoded form.");
    assertThat(sandbox.messagesTo(PHONE)).isEmpty();
  }

  @Test
  void shouldRefuseAReplyPostedFromAnotherSite() throws Exception {
    // Given replies are on
    sandbox.inboundWebhookUrl(optin.url("/webhooks/twilio/inbound"));
    String form = "phone=" + enc(PHONE) + "&to=" + enc(OPTIN_NUMBER) + "&body=YES";

    // When a page of another site makes the developer's browser post a reply
    HttpResponse<String> crossSite =
        http.send(
            HttpRequest.newBuilder(sandbox.baseUrl().resolve("/sandbox/reply"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "https://attacker.example")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    // Then it is refused, and nothing reached the webhook
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(crossSite.body())
        .isEqualTo(
            "{\"code\":403,\"message\":\"Cross-site request refused.\","
                + "\"more_info\":\"https://www.twilio.com/docs/errors/403\",\"status\":403}");
    assertThat(optin.received()).isEmpty();
  }

  @Test
  void shouldRefuseAPageReplyAboveTheCapOrMalformed() throws Exception {
    // Given replies are on
    sandbox.inboundWebhookUrl(optin.url("/webhooks/twilio/inbound"));
    String large =
        "phone="
            + enc(PHONE)
            + "&to="
            + enc(OPTIN_NUMBER)
            + "&body="
            + "y".repeat(HttpExchanges.MAX_BODY_BYTES);

    // When
    HttpResponse<String> tooLarge = postReply(large);
    HttpResponse<String> malformed = postReply("phone=%ZZ&to=x&body=y");

    // Then each is answered, and nothing reached the webhook
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    // (the port refuses it before the page reads it, in the sandbox's one error shape)
    assertThat(tooLarge.body())
        .isEqualTo(
            "{\"code\":413,\"message\":\"Request body is larger than 65536 bytes.\","
                + "\"more_info\":\"https://www.twilio.com/docs/errors/413\",\"status\":413}");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).isEqualTo("The reply is not a valid URL-encoded form");
    assertThat(optin.received()).isEmpty();
  }

  private HttpResponse<String> postReply(String form) throws Exception {
    return http.send(
        HttpRequest.newBuilder(sandbox.baseUrl().resolve("/sandbox/reply"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postMessage(HttpRequest.BodyPublisher body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(messagesUrl())
            .header("Authorization", basic(ACCOUNT_SID, AUTH_TOKEN))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(body)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postMessage(Map<String, String> form) throws Exception {
    return http.send(
        HttpRequest.newBuilder(messagesUrl())
            .header("Authorization", basic(ACCOUNT_SID, AUTH_TOKEN))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(FormData.encode(form)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI messagesUrl() {
    return sandbox.baseUrl().resolve("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(sandbox.baseUrl().resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
