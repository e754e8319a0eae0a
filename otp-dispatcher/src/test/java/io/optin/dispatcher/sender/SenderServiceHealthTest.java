package io.optin.dispatcher.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.dispatcher.TestDispatcherSettings;
import io.optin.dispatcher.message.MessageTemplates;
import io.optin.dispatcher.sms.LookupResult;
import io.optin.dispatcher.sms.OutgoingSms;
import io.optin.dispatcher.sms.SendResult;
import io.optin.dispatcher.sms.SentMessageQuery;
import io.optin.dispatcher.sms.SmsGateway;
import io.optin.domain.otp.OtpCodes;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The sender's health: not ready until its loop runs, dead for good once the loop failed. */
class SenderServiceHealthTest {

  @Test
  void shouldBeDeadForGoodOnceItsSendLoopFails() {
    // Given a sender whose transactional producer cannot be initialised (no broker answers)
    try (SenderService sender =
        new SenderService(
            SenderConfig.from(
                TestDispatcherSettings.with(
                    Map.of("sms.sender.id", "health-test", "twilio.from", "+15005550006"))),
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:1",
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                "200"),
            new AvroSerdes(new InMemorySchemaRegistryClient(), true),
            new MessageTemplates(Map.of()),
            OtpCodes.fromSettings("test-otp-secret-of-at-least-32-bytes!", 6),
            new SmsGateway() {
              @Override
              public SendResult send(OutgoingSms sms) {
                throw new AssertionError("nothing is sent");
              }

              @Override
              public LookupResult findSent(SentMessageQuery query) {
                throw new AssertionError("nothing is looked up");
              }
            })) {
      assertThat(sender.name()).isEqualTo("sender");
      assertThat(sender.ready()).isFalse();
      assertThat(sender.live()).isTrue();

      // When it starts and its loop fails
      sender.start();

      // Then it says it is dead for good, without being closed
      await().atMost(Duration.ofSeconds(30)).until(() -> !sender.live());
      assertThat(sender.state()).isEqualTo("FAILED");
      assertThat(sender.senderState()).isEqualTo(SenderService.State.FAILED);
      assertThat(sender.ready()).isFalse();
    }
  }
}
