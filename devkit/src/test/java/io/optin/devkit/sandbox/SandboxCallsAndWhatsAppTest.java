package io.optin.devkit.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.security.RequestValidator;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;
import io.optin.dispatcher.sms.TwilioClientSettings;
import io.optin.dispatcher.sms.TwilioClients;
import io.optin.dispatcher.sms.TwilioCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Calls and WhatsApp messages placed by the real twilio-java SDK against the sandbox over real
 * HTTP; the webhooks the sandbox posts land on a real endpoint and are checked with twilio-java's
 * own {@link RequestValidator}.
 */
class SandboxCallsAndWhatsAppTest {

  private static final String ACCOUNT_SID = "AC" + "0".repeat(32);
  private static final String AUTH_TOKEN = "test-auth-token";
  private static final String OPTIN_NUMBER = "+15005550006";
  private static final String PHONE = "+15551230001";
  private static final String CONTENT_SID = "HX" + "0123456789abcdef".repeat(2);
  private static final Duration AT_MOST = Duration.ofSeconds(10);

  private static final String CODE_TWIML_TEMPLATE =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
          + "<Say language=\"en-US\">Your code is 1, 2, 3, 4, 5, 6.</Say>"
          + "<Gather numDigits=\"1\" action=\"%s\">"
          + "<Say language=\"en-US\">Press 1 to confirm.</Say></Gather>"
          + "<Say>We did not get your answer.</Say></Response>";

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final RequestValidator validator = new RequestValidator(AUTH_TOKEN);
  private TwilioSandbox sandbox;
  private WebhookReceiver optin;
  private TwilioRestClient client;

  @BeforeEach
  void start() throws IOException {
    optin = new WebhookReceiver();
    sandbox =
        new TwilioSandbox("127.0.0.1", 0, ACCOUNT_SID, AUTH_TOKEN)
            .callbackDelay(Duration.ZERO)
            .deliveryScript(DeliveryScript.allDelivered())
            .start();
    client =
        TwilioClients.create(
            TwilioClientSettings.of(TwilioCredentials.authToken(ACCOUNT_SID, AUTH_TOKEN))
                .withApiBaseUrl(sandbox.baseUrl()));
  }

  @AfterEach
  void stop() {
    TwilioClients.close(client);
    sandbox.close();
    optin.close();
  }

  private String codeTwiml() {
    return CODE_TWIML_TEMPLATE.formatted(optin.url("/webhooks/twilio/voice"));
  }

  private Call placeCall(String to, URI statusCallback) {
    var creator =
        Call.creator(new PhoneNumber(to), new PhoneNumber(OPTIN_NUMBER), new Twiml(codeTwiml()));
    if (statusCallback != null) {
      creator
          .setStatusCallback(statusCallback)
          .setStatusCallbackEvent(List.of("initiated", "ringing", "answered", "completed"));
    }
    return creator.create(client);
  }

  private SandboxCall awaitListening(String to) {
    await()
        .atMost(AT_MOST)
        .until(() -> sandbox.callsTo(to).stream().anyMatch(SandboxCall::awaitingKeys));
    return sandbox.callsTo(to).stream().filter(SandboxCall::awaitingKeys).findFirst().orElseThrow();
  }

  private List<WebhookReceiver.Received> receivedAt(String path) {
    return optin.received().stream().filter(r -> r.url().getPath().equals(path)).toList();
  }

  @Test
  void shouldPlaceACallFromTheSdkAndPlayItsTwimlUpToTheGather() {
    // When
    Call call = placeCall(PHONE, null);

    // Then the answer is Twilio's
    assertThat(call.getSid()).matches("CA[0-9a-f]{32}");
    assertThat(call.getStatus()).isEqualTo(Call.Status.QUEUED);
    assertThat(call.getTo()).isEqualTo(PHONE);
    assertThat(call.getFrom()).isEqualTo(OPTIN_NUMBER);
    // and the callee picks up, hears the code and the prompt, and the Gather listens
    SandboxCall listening = awaitListening(PHONE);
    assertThat(listening.sid()).isEqualTo(call.getSid());
    assertThat(listening.status()).isEqualTo(SandboxCall.IN_PROGRESS);
    assertThat(listening.spokenTexts())
        .containsExactly("Your code is 1, 2, 3, 4, 5, 6.", "Press 1 to confirm.");
    assertThat(listening.gather())
        .isEqualTo(
            new VoiceTwiml.Gather(optin.url("/webhooks/twilio/voice").toString(), "POST", 1));
    assertThat(Call.fetcher(call.getSid()).fetch(client).getStatus())
        .isEqualTo(Call.Status.IN_PROGRESS);
  }

  @Test
  void shouldPostTheKeyPressSignedToTheGatherActionAndPlayItsAnswer() {
    // Given
    optin.answering(
        200,
        "application/xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
            + "<Say language=\"en-US\">Confirmed, thank you.</Say></Response>");
    URI statusCallback = optin.url("/webhooks/twilio/call-status");
    String sid = placeCall(PHONE, statusCallback).getSid();
    awaitListening(PHONE);

    // When the callee presses 1
    WebhookAnswer answer = sandbox.press(sid, "1");

    // Then the action got Twilio's signed Gather webhook
    assertThat(answer.status()).isEqualTo(200);
    WebhookReceiver.Received keys = receivedAt("/webhooks/twilio/voice").get(0);
    assertThat(validator.validate(keys.url().toString(), keys.form(), keys.signature())).isTrue();
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("AccountSid", ACCOUNT_SID);
    expected.put("ApiVersion", "2010-04-01");
    expected.put("CallSid", sid);
    expected.put("CallStatus", "in-progress");
    expected.put("Called", PHONE);
    expected.put("Caller", OPTIN_NUMBER);
    expected.put("Direction", "outbound-api");
    expected.put("From", OPTIN_NUMBER);
    expected.put("To", PHONE);
    expected.put("Digits", "1");
    expected.put("FinishedOnKey", "");
    expected.put("msg", "Gather End");
    assertThat(keys.form()).containsExactlyInAnyOrderEntriesOf(expected);
    // and the callee heard the answer, then the call completed and every status was reported
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () ->
                assertThat(receivedAt(statusCallback.getPath()))
                    .extracting(r -> r.form().get("CallStatus"), r -> r.form().get("CallSid"))
                    .containsExactly(
                        tuple("initiated", sid),
                        tuple("ringing", sid),
                        tuple("in-progress", sid),
                        tuple("completed", sid)));
    assertThat(receivedAt(statusCallback.getPath()))
        .allSatisfy(
            c -> {
              assertThat(validator.validate(c.url().toString(), c.form(), c.signature())).isTrue();
              assertThat(c.form())
                  .containsEntry("From", OPTIN_NUMBER)
                  .containsEntry("To", PHONE)
                  .containsEntry("Direction", "outbound-api");
            });
    assertThat(sandbox.call(sid))
        .hasValueSatisfying(
            call -> {
              assertThat(call.status()).isEqualTo(SandboxCall.COMPLETED);
              assertThat(call.keys()).isEqualTo("1");
              assertThat(call.spokenTexts())
                  .containsExactly(
                      "Your code is 1, 2, 3, 4, 5, 6.",
                      "Press 1 to confirm.",
                      "Confirmed, thank you.");
            });
  }

  @Test
  void shouldHangUpWithAnApplicationErrorWhenTheActionRefusesTheKeys() {
    // Given
    optin.answering(403, "text/plain", "forbidden");
    String sid = placeCall(PHONE, null).getSid();
    awaitListening(PHONE);

    // When
    WebhookAnswer answer = sandbox.press(sid, "1");

    // Then
    assertThat(answer.status()).isEqualTo(403);
    assertThat(sandbox.call(sid))
        .hasValueSatisfying(
            call -> {
              assertThat(call.status()).isEqualTo(SandboxCall.COMPLETED);
              assertThat(call.spokenTexts()).last().isEqualTo(CallProgress.APPLICATION_ERROR);
            });
  }

  @Test
  void shouldPressOnTheOldestListeningCallOnceEach() {
    // Given two calls to the same phone, both listening
    optin.answering(200, "application/xml", "<Response><Say>Thanks.</Say></Response>");
    String first = placeCall(PHONE, null).getSid();
    String second = placeCall(PHONE, null).getSid();
    await()
        .atMost(AT_MOST)
        .until(() -> sandbox.callsTo(PHONE).stream().allMatch(SandboxCall::awaitingKeys));

    // When the callee presses three times
    var pressedFirst = sandbox.pressOnNextCall(PHONE, "1");
    var pressedSecond = sandbox.pressOnNextCall(PHONE, "1");
    var none = sandbox.pressOnNextCall(PHONE, "1");

    // Then each call got one press, the oldest first
    assertThat(pressedFirst).map(TwilioSandbox.PressedCall::callSid).hasValue(first);
    assertThat(pressedSecond).map(TwilioSandbox.PressedCall::callSid).hasValue(second);
    assertThat(none).isEmpty();
    assertThat(receivedAt("/webhooks/twilio/voice"))
        .extracting(r -> r.form().get("CallSid"))
        .containsExactly(first, second);
  }

  @Test
  void shouldRefuseKeysThatAreNotKeysOrACallThatDoesNotListen() {
    // Given a call whose TwiML gathers nothing: it completes once said
    String sid =
        Call.creator(
                new PhoneNumber(PHONE),
                new PhoneNumber(OPTIN_NUMBER),
                new Twiml("<Response><Say>Hello.</Say></Response>"))
            .create(client)
            .getSid();
    await()
        .atMost(AT_MOST)
        .until(() -> sandbox.call(sid).orElseThrow().status().equals(SandboxCall.COMPLETED));

    // When / Then
    assertThatThrownBy(() -> sandbox.press(sid, "1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(sid);
    assertThatThrownBy(() -> sandbox.press(sid, "1; DROP"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(optin.received()).isEmpty();
  }

  @ParameterizedTest(name = "a call to {0} from {1} is refused with {2}")
  @CsvSource({
    "+15005550001, +15005550006, 21217",
    "+15005550002, +15005550006, 21214",
    "+15005550003, +15005550006, 21215",
    "+15005550004, +15005550006, 21216",
    "+15551230001, +15005550001, 21212",
    "+15551230001, +15005550007, 21210",
    "not-a-number, +15005550006, 21211"
  })
  void shouldRefuseCallsToAndFromMagicNumbersLikeTwilio(String to, String from, int code) {
    // When / Then
    assertThatThrownBy(
            () ->
                Call.creator(new PhoneNumber(to), new PhoneNumber(from), new Twiml(codeTwiml()))
                    .create(client))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(code);
              assertThat(e.getStatusCode()).isEqualTo(400);
            });
    assertThat(sandbox.callsTo(to)).isEmpty();
  }

  @Test
  void shouldRefuseAnIncompleteOrUnreadableCallRequestWithTwilioCodes() throws Exception {
    // When
    HttpResponse<String> noTo =
        post("Calls.json", Map.of("From", OPTIN_NUMBER, "Twiml", "<Response/>"));
    HttpResponse<String> noFrom = post("Calls.json", Map.of("To", PHONE, "Twiml", "<Response/>"));
    HttpResponse<String> noTwiml = post("Calls.json", Map.of("To", PHONE, "From", OPTIN_NUMBER));
    HttpResponse<String> brokenTwiml =
        post("Calls.json", Map.of("To", PHONE, "From", OPTIN_NUMBER, "Twiml", "<Response><Say>"));
    HttpResponse<String> unauthenticated =
        http.send(
            HttpRequest.newBuilder(api("Calls.json"))
                .header("Authorization", basic("wrong-token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("To=%2B15551230001"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    // Then
    assertThat(List.of(noTo, noFrom, noTwiml, brokenTwiml, unauthenticated))
        .extracting(HttpResponse::statusCode, r -> code(r))
        .containsExactly(
            tuple(400, 21201),
            tuple(400, 21213),
            tuple(400, 21205),
            tuple(400, 12100),
            tuple(401, 20003));
    assertThat(sandbox.callsTo(PHONE)).isEmpty();
  }

  @Test
  void shouldAcceptAWhatsAppTemplateMessageAndShowItsContentAndVariables() {
    // Given
    URI callback = optin.url("/webhooks/twilio/status");

    // When
    Message message =
        Message.creator(
                new PhoneNumber("whatsapp:" + PHONE),
                new PhoneNumber("whatsapp:" + OPTIN_NUMBER),
                (String) null)
            .setContentSid(CONTENT_SID)
            .setContentVariables("{\"1\": \"123456\", \"2\": \"Acme\"}")
            .setStatusCallback(callback)
            .create(client);

    // Then
    assertThat(message.getSid()).matches("SM[0-9a-f]{32}");
    assertThat(message.getStatus()).isEqualTo(Message.Status.QUEUED);
    assertThat(sandbox.messagesTo("whatsapp:" + PHONE))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.from()).isEqualTo("whatsapp:" + OPTIN_NUMBER);
              assertThat(m.body())
                  .isEqualTo(
                      "content "
                          + CONTENT_SID
                          + " with variables {\"1\":\"123456\",\"2\":\"Acme\"}");
            });
    await().atMost(AT_MOST).until(() -> receivedAt(callback.getPath()).size() == 2);
    assertThat(receivedAt(callback.getPath()))
        .extracting(c -> c.form().get("MessageStatus"), c -> c.form().get("To"))
        .containsExactly(
            tuple("sent", "whatsapp:" + PHONE), tuple("delivered", "whatsapp:" + PHONE));
  }

  @Test
  void shouldPostAWhatsAppReplyWithPrefixedNumbers() {
    // Given
    URI inbound = optin.url("/webhooks/twilio/inbound");

    // When
    sandbox.reply("whatsapp:" + PHONE, "whatsapp:" + OPTIN_NUMBER, "YES", inbound);

    // Then
    assertThat(optin.received())
        .singleElement()
        .satisfies(
            webhook -> {
              assertThat(webhook.form())
                  .containsEntry("From", "whatsapp:" + PHONE)
                  .containsEntry("To", "whatsapp:" + OPTIN_NUMBER)
                  .containsEntry("Body", "YES")
                  .containsEntry("WaId", PHONE.substring(1));
              assertThat(
                      validator.validate(inbound.toString(), webhook.form(), webhook.signature()))
                  .isTrue();
            });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "mixed channels | whatsapp:+15551230001 | +15005550006 | HX0123456789abcdef0123456789abcdef | {} | 21910",
        "bad content sid | whatsapp:+15551230001 | whatsapp:+15005550006 | HX123 | {} | 21655",
        "variables not an object | whatsapp:+15551230001 | whatsapp:+15005550006 | HX0123456789abcdef0123456789abcdef | [1] | 21656",
        "variables not JSON | whatsapp:+15551230001 | whatsapp:+15005550006 | HX0123456789abcdef0123456789abcdef | {1: | 21656",
        "magic invalid behind the prefix | whatsapp:+15005550001 | whatsapp:+15005550006 | HX0123456789abcdef0123456789abcdef | {} | 21211"
      })
  void shouldRefuseABadWhatsAppMessage(
      String name, String to, String from, String contentSid, String variables, int code)
      throws Exception {
    // When
    HttpResponse<String> refused =
        post(
            "Messages.json",
            Map.of(
                "To", to, "From", from, "ContentSid", contentSid, "ContentVariables", variables));

    // Then
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(code(refused)).isEqualTo(code);
    assertThat(sandbox.messagesTo(to)).isEmpty();
  }

  @Test
  void shouldReportAnSmsToTheLandlineUndeliveredWith30006AndAnswerACallToIt() {
    // Given the script delivers everything: the landline is magic, not scripted
    URI callback = optin.url("/webhooks/twilio/status");

    // When an SMS and then a call go to the landline
    Message.creator(
            new PhoneNumber(MagicNumbers.LANDLINE), new PhoneNumber(OPTIN_NUMBER), "Your code")
        .setStatusCallback(callback)
        .create(client);
    String callSid = placeCall(MagicNumbers.LANDLINE, null).getSid();

    // Then the SMS is reported undelivered with 30006, as Twilio reports landlines
    await().atMost(AT_MOST).until(() -> receivedAt(callback.getPath()).size() == 2);
    assertThat(receivedAt(callback.getPath()))
        .extracting(c -> c.form().get("MessageStatus"), c -> c.form().get("ErrorCode"))
        .containsExactly(tuple("sent", null), tuple("undelivered", "30006"));
    // and the call is answered and listens
    assertThat(awaitListening(MagicNumbers.LANDLINE).sid()).isEqualTo(callSid);
  }

  @Test
  void shouldDeliverAWhatsAppMessageWhateverTheSmsScriptSaysOfTheNumber() {
    // Given a script that loses every SMS to numbers ending 0001
    sandbox.deliveryScript(
        DeliveryScript.allDelivered().when("0001", DeliveryOutcome.undelivered(30003)));

    // When an SMS and a WhatsApp message go to such a number
    Message.creator(new PhoneNumber(PHONE), new PhoneNumber(OPTIN_NUMBER), "Your code")
        .create(client);
    Message.creator(
            new PhoneNumber("whatsapp:" + PHONE),
            new PhoneNumber("whatsapp:" + OPTIN_NUMBER),
            (String) null)
        .setContentSid(CONTENT_SID)
        .create(client);

    // Then the SMS is lost, the WhatsApp message delivered
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () -> {
              assertThat(sandbox.messagesTo(PHONE))
                  .extracting(SandboxMessage::status, SandboxMessage::errorCode)
                  .containsExactly(tuple("undelivered", 30003));
              assertThat(sandbox.messagesTo("whatsapp:" + PHONE))
                  .extracting(SandboxMessage::status, SandboxMessage::errorCode)
                  .containsExactly(tuple("delivered", null));
            });
  }

  @Test
  void shouldFailAWhatsAppMessageToTheLandlineWith63003() {
    // When
    Message.creator(
            new PhoneNumber("whatsapp:" + MagicNumbers.LANDLINE),
            new PhoneNumber("whatsapp:" + OPTIN_NUMBER),
            (String) null)
        .setContentSid(CONTENT_SID)
        .create(client);

    // Then
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () ->
                assertThat(sandbox.messagesTo("whatsapp:" + MagicNumbers.LANDLINE))
                    .extracting(SandboxMessage::status, SandboxMessage::errorCode)
                    .containsExactly(tuple("failed", 63003)));
  }

  @Test
  void shouldShowTheCallOnThePageAndPressTheKeyPostedFromIt() throws Exception {
    // Given
    optin.answering(200, "application/xml", "<Response><Say>Confirmed.</Say></Response>");
    String sid = placeCall(PHONE, null).getSid();
    awaitListening(PHONE);

    // When the page is read, then its "press 1" button posted
    String page =
        http.send(
                HttpRequest.newBuilder(sandbox.baseUrl().resolve("/")).GET().build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    HttpResponse<String> pressed =
        http.send(
            HttpRequest.newBuilder(sandbox.baseUrl().resolve("/sandbox/call"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("sid=" + sid + "&keys=1"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    // Then
    assertThat(page)
        .contains("Your code is 1, 2, 3, 4, 5, 6.")
        .contains("Press 1 to confirm.")
        .contains("<button name=\"keys\" value=\"1\" class=\"primary\">press 1</button>")
        .contains("<input type=\"hidden\" name=\"sid\" value=\"" + sid + "\">");
    assertThat(pressed.statusCode()).isEqualTo(303);
    assertThat(receivedAt("/webhooks/twilio/voice"))
        .singleElement()
        .satisfies(r -> assertThat(r.form()).containsEntry("Digits", "1"));
    assertThat(sandbox.call(sid).orElseThrow().spokenTexts()).last().isEqualTo("Confirmed.");
  }

  private int code(HttpResponse<String> response) {
    try {
      return json.readTree(response.body()).get("code").asInt();
    } catch (IOException e) {
      throw new AssertionError("not Twilio's error JSON: " + response.body(), e);
    }
  }

  private URI api(String resource) {
    return sandbox.baseUrl().resolve("/2010-04-01/Accounts/" + ACCOUNT_SID + "/" + resource);
  }

  private HttpResponse<String> post(String resource, Map<String, String> form) throws Exception {
    return http.send(
        HttpRequest.newBuilder(api(resource))
            .header("Authorization", basic(AUTH_TOKEN))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(FormData.encode(form)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String token) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((ACCOUNT_SID + ":" + token).getBytes(StandardCharsets.UTF_8));
  }
}
