package io.optin.dispatcher.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls and WhatsApp templates through twilio-java, against a real HTTP server on the base URL. */
class TwilioFallbackGatewayTest {

  private static final String ACCOUNT_SID = "AC" + "0".repeat(32);
  private static final URI CALLBACK = URI.create("https://optin.example/webhooks/twilio/status");

  private FakeTwilioApi twilio;
  private TwilioSmsGateway gateway;

  @BeforeEach
  void startTwilio() throws IOException {
    twilio = new FakeTwilioApi();
    gateway =
        TwilioSmsGateway.create(
            TwilioClientSettings.of(TwilioCredentials.authToken(ACCOUNT_SID, "token"))
                .withApiBaseUrl(twilio.baseUrl())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)));
  }

  @AfterEach
  void stopTwilio() {
    gateway.close();
    twilio.close();
  }

  @Test
  void shouldPlaceTheCallWithItsTwimlOnTheCallsApi() {
    // Given
    String sid = "CA" + "1".repeat(32);
    twilio.then(201, "{\"sid\":\"" + sid + "\",\"status\":\"queued\"}");

    // When
    SendResult result =
        gateway.call(
            new OutgoingCall(
                "+15551230001", "+15551230002", "<Response><Say>hi</Say></Response>", CALLBACK));

    // Then
    assertThat(result).isEqualTo(new SendResult.Accepted(sid, "queued"));
    assertThat(twilio.received())
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.path())
                  .isEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls.json");
              assertThat(request.form())
                  .isEqualTo(
                      Map.of(
                          "To", "+15551230001",
                          "From", "+15551230002",
                          "Twiml", "<Response><Say>hi</Say></Response>",
                          "StatusCallback", CALLBACK.toString(),
                          "StatusCallbackEvent", "completed"));
            });
  }

  @Test
  void shouldSendTheWhatsAppTemplateWithoutABody() {
    // Given
    twilio.thenCreated("SM" + "2".repeat(32));

    // When
    SendResult result =
        gateway.sendWhatsApp(
            new OutgoingWhatsApp(
                "+15551230001",
                "+15551230003",
                "HX" + "a".repeat(32),
                "{\"1\":\"123456\",\"2\":\"10\"}",
                CALLBACK));

    // Then
    assertThat(result).isEqualTo(new SendResult.Accepted("SM" + "2".repeat(32), "queued"));
    assertThat(twilio.received())
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.path())
                  .isEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json");
              assertThat(request.form())
                  .isEqualTo(
                      Map.of(
                          "To", "whatsapp:+15551230001",
                          "From", "whatsapp:+15551230003",
                          "ContentSid", "HX" + "a".repeat(32),
                          "ContentVariables", "{\"1\":\"123456\",\"2\":\"10\"}",
                          "StatusCallback", CALLBACK.toString()));
            });
  }

  @Test
  void shouldReportANumberThatCannotBeCalledAsPermanent() {
    twilio.thenError(400, 21215, "Account not authorized to call +15551230001");

    SendResult result =
        gateway.call(new OutgoingCall("+15551230001", "+15551230002", "<Response/>", null));

    assertThat(result)
        .isEqualTo(
            new SendResult.PermanentFailure(21215, "Account not authorized to call +15551230001"));
  }
}
