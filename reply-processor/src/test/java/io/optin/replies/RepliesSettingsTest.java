package io.optin.replies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepliesSettingsTest {

  private static final Map<String, String> KAFKA = Map.of("bootstrap.servers", "127.0.0.1:9092");

  @Test
  void shouldReadTheSettingsAndKeepDefaultsForTheRest() {
    RepliesConfig config = RepliesSettings.from(Map.of(
        "public.base.url", "https://optin.example.com",
        "twilio.auth.token", "test-auth-token",
        "otp.max.attempts", "3",
        "otp.expiry.grace", "2s",
        "replies.answer.wait", "PT1.5S"), KAFKA);

    assertThat(config.topology().maxAttempts()).isEqualTo(3);
    assertThat(config.topology().expiryGrace()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.topology().dedupeRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(config.answerWait()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.publishTimeout()).isEqualTo(RepliesConfig.DEFAULT_PUBLISH_TIMEOUT);
    assertThat(config.kafkaClientSettings()).isEqualTo(KAFKA);
    assertThat(config.toString()).doesNotContain("test-auth-token");
  }

  @Test
  void shouldNameTheSettingThatIsMissingOrMalformed() {
    assertThatThrownBy(() -> RepliesSettings.from(Map.of("public.base.url", "https://optin.example.com"), KAFKA))
        .hasMessageContaining("twilio.auth.token");
    assertThatThrownBy(() -> RepliesSettings.from(Map.of(
        "public.base.url", "https://optin.example.com", "twilio.auth.token", "t", "otp.expiry.grace", "soon"), KAFKA))
        .hasMessageContaining("otp.expiry.grace");
    assertThatThrownBy(() -> RepliesSettings.from(Map.of(
        "public.base.url", "https://optin.example.com", "twilio.auth.token", "t", "otp.max.attempts", "0"), KAFKA))
        .hasMessageContaining("otp.max.attempts");
  }
}
