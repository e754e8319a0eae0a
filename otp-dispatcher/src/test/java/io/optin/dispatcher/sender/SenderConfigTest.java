package io.optin.dispatcher.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.dispatcher.sms.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SenderConfigTest {

  @Test
  void shouldPointStatusCallbackAtWebhookUnderPublicUrl() {
    assertThat(SenderConfig.statusCallbackFor(URI.create("https://optin.example/")))
        .isEqualTo(URI.create("https://optin.example/webhooks/twilio/status"));
    assertThat(SenderConfig.statusCallbackFor(URI.create("https://optin.example/base")))
        .isEqualTo(URI.create("https://optin.example/base/webhooks/twilio/status"));
    assertThat(SenderConfig.statusCallbackFor(null)).isNull();
  }

  @Test
  void shouldRefuseConfigWithoutSenderNamingBothSettings() {
    assertThatThrownBy(() -> SenderConfig.defaults("a", " ", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twilio.from")
        .hasMessageContaining("twilio.messaging.service.sid");
  }

  @Test
  void shouldRefuseBadLimitsNamingTheSetting() {
    assertThatThrownBy(
            () ->
                new SenderConfig(
                    "a",
                    "+15005550006",
                    null,
                    null,
                    0,
                    10,
                    RetryPolicy.DEFAULT,
                    Duration.ofDays(7)))
        .hasMessageContaining("sms.max.concurrency");
    assertThatThrownBy(
            () ->
                new SenderConfig(
                    "a", "+15005550006", null, null, 1, 0, RetryPolicy.DEFAULT, Duration.ofDays(7)))
        .hasMessageContaining("sms.rate.per.second");
    assertThatThrownBy(() -> SenderConfig.defaults("two words", "+15005550006", null, null))
        .hasMessageContaining("sms.sender.id");
  }

  @Test
  void shouldNameTransactionAfterInstance() {
    SenderConfig config = SenderConfig.defaults("host-1", "+15005550006", null, null);
    assertThat(config.transactionalId()).isEqualTo("optin-sms-sender-host-1");
    assertThat(config.maxPollRecords()).isEqualTo(config.concurrency());
  }
}
