package io.optin.devkit.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.twilio.security.RequestValidator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwilioSignatureTest {

  /** The example of Twilio's webhook-security documentation. */
  private static final String TOKEN = "12345";

  private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
  private static final Map<String, String> PARAMS =
      Map.of(
          "CallSid", "CA1234567890ABCDE",
          "Caller", "+14158675309",
          "Digits", "1234",
          "From", "+14158675309",
          "To", "+18005551212");

  @Test
  void shouldSignLikeTwilioDocumentsIt() {
    assertThat(TwilioSignature.sign(TOKEN, URL, PARAMS)).isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
  }

  @Test
  void shouldBeAcceptedByTwilioJavasValidatorOnlyForTheSameUrlAndParameters() {
    // Given
    String signature =
        TwilioSignature.sign(
            "test-auth-token",
            "http://127.0.0.1:8080/webhooks/twilio/status",
            Map.of("MessageSid", "SM1", "MessageStatus", "delivered"));
    RequestValidator validator = new RequestValidator("test-auth-token");

    // Then
    assertThat(
            validator.validate(
                "http://127.0.0.1:8080/webhooks/twilio/status",
                Map.of("MessageSid", "SM1", "MessageStatus", "delivered"),
                signature))
        .isTrue();
    assertThat(
            validator.validate(
                "http://127.0.0.1:8080/webhooks/twilio/status",
                Map.of("MessageSid", "SM1", "MessageStatus", "failed"),
                signature))
        .isFalse();
    assertThat(
            validator.validate(
                "http://127.0.0.1:8080/webhooks/twilio/inbound",
                Map.of("MessageSid", "SM1", "MessageStatus", "delivered"),
                signature))
        .isFalse();
  }
}
