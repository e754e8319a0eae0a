package io.optin.dispatcher.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real twilio-java SDK, through our client, against a real HTTP server speaking Twilio's
 * Messages API.
 */
class TwilioSmsGatewayTest {

  private static final String ACCOUNT_SID = "AC" + "1".repeat(32);
  private static final String AUTH_TOKEN = "test-auth-token";
  private static final String SID = "SM" + "a".repeat(32);
  private static final String MESSAGES_PATH =
      "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json";
  private static final URI CALLBACK = URI.create("https://optin.example/webhooks/twilio/status");

  private FakeTwilioApi twilio;
  private TwilioSmsGateway gateway;
  private final List<Duration> sleeps = new ArrayList<>();

  @BeforeEach
  void startTwilio() throws IOException {
    twilio = new FakeTwilioApi();
    gateway = gatewayTo(twilio.baseUrl(), TwilioCredentials.authToken(ACCOUNT_SID, AUTH_TOKEN));
  }

  @AfterEach
  void stopTwilio() {
    gateway.close();
    twilio.close();
  }

  private static TwilioSmsGateway gatewayTo(URI baseUrl, TwilioCredentials credentials) {
    return TwilioSmsGateway.create(
        TwilioClientSettings.of(credentials)
            .withApiBaseUrl(baseUrl)
            .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)));
  }

  private RetryingSmsGateway retrying(int maxAttempts) {
    RetryPolicy policy =
        new RetryPolicy(maxAttempts, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.5);
    return new RetryingSmsGateway(gateway, policy, sleeps::add, () -> 0.0);
  }

  private static OutgoingSms sms() {
    return OutgoingSms.fromNumber("+15551230001", "+15551230002", "Your code is 123456", CALLBACK);
  }

  @Test
  void shouldReturnTheSidAndSendTheFormFieldsWithBasicAuth() {
    // Given
    twilio.thenCreated(SID, "queued");

    // When
    SendResult result = gateway.send(sms());

    // Then
    assertThat(result).isEqualTo(new SendResult.Accepted(SID, "queued"));
    assertThat(twilio.received())
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.method()).isEqualTo("POST");
              assertThat(request.path()).isEqualTo(MESSAGES_PATH);
              assertThat(request.form())
                  .isEqualTo(
                      Map.of(
                          "To", "+15551230001",
                          "From", "+15551230002",
                          "Body", "Your code is 123456",
                          "StatusCallback", CALLBACK.toString()));
              assertThat(request.header("Authorization")).isEqualTo(basic(ACCOUNT_SID, AUTH_TOKEN));
            });
  }

  @Test
  void shouldSendThroughAMessagingServiceWithAnApiKey() {
    // Given
    String serviceSid = "MG" + "2".repeat(32);
    String keySid = "SK" + "3".repeat(32);
    gateway.close();
    gateway =
        gatewayTo(twilio.baseUrl(), TwilioCredentials.apiKey(ACCOUNT_SID, keySid, "key-secret"));
    twilio.thenCreated(SID, "accepted");

    // When
    SendResult result =
        gateway.send(OutgoingSms.viaMessagingService("+15551230001", serviceSid, "Hi", null));

    // Then
    assertThat(result).isEqualTo(new SendResult.Accepted(SID, "accepted"));
    assertThat(twilio.received())
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.path()).isEqualTo(MESSAGES_PATH);
              assertThat(request.form())
                  .isEqualTo(
                      Map.of(
                          "To", "+15551230001", "MessagingServiceSid", serviceSid, "Body", "Hi"));
              assertThat(request.header("Authorization")).isEqualTo(basic(keySid, "key-secret"));
            });
  }

  @Test
  void shouldKeepThePathOfTheBaseUrlLikeATwilioCompatibleProvider() {
    // Given: SignalWire-style base URL, the API lives under a path prefix
    gateway.close();
    gateway =
        gatewayTo(
            twilio.baseUrl().resolve("/api/laml/"),
            TwilioCredentials.authToken(ACCOUNT_SID, AUTH_TOKEN));
    twilio.thenCreated(SID, "queued");

    // When
    SendResult result = gateway.send(sms());

    // Then
    assertThat(result.accepted()).isTrue();
    assertThat(twilio.received())
        .extracting(FakeTwilioApi.Received::path)
        .containsExactly("/api/laml" + MESSAGES_PATH);
  }

  @Test
  void shouldReportAnInvalidNumberAsPermanentWithoutRetrying() {
    // Given
    twilio.thenError(400, 21211, "The 'To' number +15551230001 is not a valid phone number.");

    // When
    SendOutcome outcome = retrying(3).sendWithRetries(sms());

    // Then
    assertThat(outcome.result())
        .isInstanceOfSatisfying(
            SendResult.PermanentFailure.class,
            failure -> assertThat(failure.errorCode()).isEqualTo(21211));
    assertThat(outcome.attempts()).isEqualTo(1);
    assertThat(twilio.posts()).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void shouldRetryOnceAfterATooManyRequestsAnswerAndBeAccepted() {
    // Given
    twilio.thenError(429, 20429, "Too Many Requests").thenCreated(SID, "queued");

    // When
    SendOutcome outcome = retrying(3).sendWithRetries(sms());

    // Then
    assertThat(outcome).isEqualTo(new SendOutcome(new SendResult.Accepted(SID, "queued"), 2));
    assertThat(twilio.posts()).isEqualTo(2);
    assertThat(sleeps).containsExactly(Duration.ofMillis(100));
  }

  @Test
  void shouldMakeExactlyOnePostWhenTheServerFailsWithoutATwilioBody() {
    // Given: the SDK and the Apache client would each retry a bare 503 on their own
    twilio.then(503, "");

    // When
    SendResult result = gateway.send(sms());

    // Then
    assertThat(result)
        .isInstanceOfSatisfying(
            SendResult.TransientFailure.class,
            failure -> assertThat(failure.httpStatus()).isEqualTo(503));
    assertThat(twilio.posts()).isEqualTo(1);
  }

  @Test
  void shouldMakeExactlyOnePostWhenTwilioIsUnavailable() {
    // Given: twilio-java retries 5xx answers by itself unless told not to
    twilio.thenError(503, 20503, "Service Unavailable");

    // When
    SendResult result = gateway.send(sms());

    // Then
    assertThat(result)
        .isEqualTo(new SendResult.TransientFailure(503, 20503, "Service Unavailable"));
    assertThat(twilio.posts()).isEqualTo(1);
  }

  @Test
  void shouldReportAServerThatNeverAnswersAsTransientAfterOnePost() {
    // Given
    twilio.thenHang();

    // When
    SendResult result = gateway.send(sms());

    // Then
    assertThat(result)
        .isInstanceOfSatisfying(
            SendResult.TransientFailure.class,
            failure -> assertThat(failure.httpStatus()).isNull());
    assertThat(twilio.posts()).isEqualTo(1);
  }

  @Test
  void shouldGiveUpWithATransientFailureWhenEveryAttemptTimesOut() {
    // Given
    twilio.thenHang();

    // When
    SendOutcome outcome = retrying(3).sendWithRetries(sms());

    // Then
    assertThat(outcome.result()).isInstanceOf(SendResult.TransientFailure.class);
    assertThat(outcome.attempts()).isEqualTo(3);
    assertThat(twilio.posts()).isEqualTo(3);
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void shouldReportARefusedConnectionAsTransient() throws IOException {
    // Given: a port that was free a moment ago and has no listener
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (TwilioSmsGateway refused =
        gatewayTo(
            URI.create("http://127.0.0.1:" + closedPort),
            TwilioCredentials.authToken(ACCOUNT_SID, AUTH_TOKEN))) {

      // When
      SendResult result = refused.send(sms());

      // Then
      assertThat(result)
          .isInstanceOfSatisfying(
              SendResult.TransientFailure.class,
              failure -> assertThat(failure.httpStatus()).isNull());
    }
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
