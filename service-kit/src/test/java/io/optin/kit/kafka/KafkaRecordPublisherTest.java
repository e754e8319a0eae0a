package io.optin.kit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.VerificationAttempt;
import io.optin.schemas.Topics;
import java.time.Instant;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class KafkaRecordPublisherTest {

  private static final Instant AT = Instant.parse("2025-03-01T10:00:00Z");
  private final PublishedRecords published = new PublishedRecords();

  private static VerificationAttempt attempt() {
    return VerificationAttempt.newBuilder()
        .setAttemptId("a-1")
        .setPhone("+14155550100")
        .setProgramId("p")
        .setCodeHash("ab12")
        .setIp(null)
        .setAttemptedAt(AT)
        .build();
  }

  @Test
  void shouldWriteConfluentWireFormatAvroKeyedAndTimestamped() throws Exception {
    published.publisher().publish(Topics.VERIFICATION_ATTEMPTS, "+14155550100", attempt(), AT);

    assertThat(published.raw())
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.topic()).isEqualTo(Topics.VERIFICATION_ATTEMPTS.name());
              assertThat(record.key()).isEqualTo("+14155550100");
              assertThat(record.timestamp()).isEqualTo(AT.toEpochMilli());
              assertThat(record.value()[0]).as("Confluent magic byte").isZero();
            });
    assertThat(published.on(Topics.VERIFICATION_ATTEMPTS)).containsExactly(attempt());
  }

  @Test
  void shouldThrowAPublishExceptionWhenKafkaFails() {
    published.failSends(new TimeoutException("broker unavailable"));

    assertThatThrownBy(
            () ->
                published
                    .publisher()
                    .publish(Topics.VERIFICATION_ATTEMPTS, "+14155550100", attempt(), AT))
        .isInstanceOf(PublishException.class)
        .hasMessageContaining(Topics.VERIFICATION_ATTEMPTS.name());
  }
}
