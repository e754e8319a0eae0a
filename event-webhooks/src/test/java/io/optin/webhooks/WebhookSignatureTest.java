package io.optin.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  private static final String SECRET = "whsec-test-0123456789abcdef0123456789";
  private static final byte[] BODY =
      "{\"id\":\"evt-1\",\"type\":\"subscriber.confirmed\"}".getBytes(StandardCharsets.UTF_8);

  private final WebhookSignature signature =
      new WebhookSignature(SECRET.getBytes(StandardCharsets.UTF_8));

  @Test
  void shouldSignTheTimeAndTheRawBodyAsAnyHmacLibraryDoes() {
    // Given a body and a time
    // When it is signed
    String header = signature.header(1_700_000_000L, BODY);

    // Then v1 is the vector computed independently:
    // python3 -c "import hmac,hashlib; print(hmac.new(
    //   b'whsec-test-0123456789abcdef0123456789',
    //   b'1700000000.{\"id\":\"evt-1\",\"type\":\"subscriber.confirmed\"}',
    //   hashlib.sha256).hexdigest())"
    assertThat(header)
        .isEqualTo(
            "t=1700000000,v1=7478388dcfd6ed7064518b3e30c9631b1cdfc79882706727db1ca180d6c3582f");
  }

  @Test
  void shouldVerifyOnlyTheSameBodyWithinTheToleranceUnderTheSameSecret() {
    // Given a header signed at t
    long t = 1_700_000_000L;
    String header = signature.header(t, BODY);
    byte[] tampered = "{\"id\":\"evt-2\",\"type\":\"subscriber.confirmed\"}".getBytes();
    WebhookSignature other =
        new WebhookSignature("another-secret-of-at-least-32-characters".getBytes());

    // Then it verifies within 5 minutes, and not later, nor for another body or secret
    assertThat(signature.verifies(header, BODY, t + 300, 300)).isTrue();
    assertThat(signature.verifies(header, BODY, t - 300, 300)).isTrue();
    assertThat(signature.verifies(header, BODY, t + 301, 300)).isFalse();
    assertThat(signature.verifies(header, tampered, t, 300)).isFalse();
    assertThat(other.verifies(header, BODY, t, 300)).isFalse();
    assertThat(signature.verifies("t=abc,v1=00", BODY, t, 300)).isFalse();
    assertThat(signature.verifies(null, BODY, t, 300)).isFalse();
  }
}
