package io.optin.dispatcher.sender;

import static io.optin.dispatcher.TestDispatcherSettings.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.dispatcher.DispatcherSettings;
import io.optin.dispatcher.sms.RetryPolicy;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SenderConfigTest {

  private static final String FROM = "+15005550006";

  @Test
  void shouldReadTheSenderSettingsWithTheStatusCallbackUnderThePublicUrl() {
    // Given
    Settings settings =
        Settings.load(
            DispatcherSettings.CATALOGUE,
            Optional.empty(),
            Map.of(
                "OPTIN_TWILIO_FROM", FROM,
                "OPTIN_PUBLIC_BASE_URL", "https://optin.example.com/",
                "OPTIN_SMS_SENDER_ID", "sender-1",
                "OPTIN_SMS_MAX_CONCURRENCY", "8",
                "OPTIN_SMS_MAX_ATTEMPTS", "5",
                "OPTIN_SMS_DEDUPE_WINDOW", "2d",
                "OPTIN_SMS_RATE_PER_SECOND", "7"));

    // When
    SenderConfig sender = SenderConfig.from(settings);

    // Then
    assertThat(sender)
        .isEqualTo(
            new SenderConfig(
                "sender-1",
                FROM,
                null,
                URI.create("https://optin.example.com/webhooks/twilio/status"),
                8,
                7,
                RetryPolicy.backoff(5),
                Duration.ofDays(2),
                null,
                null,
                URI.create("https://optin.example.com/webhooks/twilio/voice")));
    assertThat(sender.transactionalId()).isEqualTo("optin-sms-sender-sender-1");
    assertThat(sender.maxPollRecords()).isEqualTo(8);
  }

  @Test
  void shouldTakeTheDocumentedDefaultsAndTheHostNameWhenOnlyTheSenderIsSet() {
    // When
    SenderConfig sender = SenderConfig.from(with(Map.of("twilio.from", FROM)));

    // Then
    assertThat(sender)
        .isEqualTo(
            new SenderConfig(
                SenderConfig.hostName(),
                FROM,
                null,
                URI.create("http://127.0.0.1:8080/webhooks/twilio/status"),
                256,
                10,
                RetryPolicy.backoff(3),
                Duration.ofDays(7),
                null,
                null,
                URI.create("http://127.0.0.1:8080/webhooks/twilio/voice")));
    assertThat(sender.instanceId()).matches("[A-Za-z0-9._-]{1,100}");
  }

  @Test
  void shouldRefuseToSendWithoutASenderNamingBothSettings() {
    assertThatThrownBy(() -> SenderConfig.from(with(Map.of("twilio.from", " "))))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith(
            "twilio.from or twilio.messaging.service.sid must be set: it is the sender of every"
                + " SMS");
  }

  @Test
  void shouldRefuseBadValuesNamingTheSetting() {
    assertThatThrownBy(() -> with(Map.of("sms.max.concurrency", "0")))
        .isInstanceOf(SettingsException.class)
        .hasMessage("sms.max.concurrency=0 from test: must be between 1 and 1024");
    assertThatThrownBy(() -> with(Map.of("sms.sender.id", "two words")))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "sms.sender.id=two words from test: must be 1 to 100 letters, digits, '.', '_' or '-'");
    assertThatThrownBy(
            () ->
                SenderConfig.from(
                    with(Map.of("twilio.from", FROM, "public.base.url", "http://bad host/"))))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("public.base.url: Illegal character");
  }

  @Test
  void shouldPointStatusCallbackAtWebhookUnderPublicUrl() {
    assertThat(SenderConfig.statusCallbackFor(URI.create("https://optin.example/")))
        .isEqualTo(URI.create("https://optin.example/webhooks/twilio/status"));
    assertThat(SenderConfig.statusCallbackFor(URI.create("https://optin.example/base")))
        .isEqualTo(URI.create("https://optin.example/base/webhooks/twilio/status"));
    assertThat(SenderConfig.statusCallbackFor(null)).isNull();
  }
}
