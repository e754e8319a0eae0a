package io.optin.kit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.OptInStatus;
import io.optin.avro.SubscriberStatus;
import io.optin.avro.VerificationAttempt;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The publisher over Kafka's MockProducer: real Avro bytes, and the ack (or its failure, or its
 * absence) reaches the caller.
 */
class KafkaRecordPublisherTest {

  private static final Instant AT = Instant.parse("2025-03-01T10:00:00Z");

  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
  private final KafkaRecordPublisher publisher =
      new KafkaRecordPublisher(producer, serdes, Duration.ofMillis(200));
  private final PublishedRecords published = new PublishedRecords();

  private static SubscriberStatus status() {
    return SubscriberStatus.newBuilder()
        .setProgramId("acme")
        .setPhone("+14155550100")
        .setStatus(OptInStatus.CONFIRMED)
        .setUpdatedAt(AT)
        .build();
  }

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
  void shouldSendConfluentWireFormatBytesUnderTheKeyAndCompleteOnTheAck() {
    // When a record is sent without a timestamp
    CompletableFuture<Void> acked =
        publisher.send(Topics.SUBSCRIBER_STATUS, "acme:+14155550100", status(), null);

    // Then the producer has its Avro bytes under the key, stamped by the producer, and the future
    // waits for the ack
    ProducerRecord<String, byte[]> sent = producer.history().get(0);
    assertThat(sent.topic()).isEqualTo(Topics.SUBSCRIBER_STATUS.name());
    assertThat(sent.key()).isEqualTo("acme:+14155550100");
    assertThat(sent.timestamp()).isNull();
    assertThat(sent.value()[0]).as("Confluent magic byte").isZero();
    assertThat(
            serdes
                .forTopic(Topics.SUBSCRIBER_STATUS)
                .deserializer()
                .deserialize(sent.topic(), sent.value()))
        .isEqualTo(status());
    assertThat(acked).isNotDone();
    producer.completeNext();
    assertThat(acked).isCompleted();
  }

  @Test
  void shouldFailTheFutureWhenTheBrokerRefuses() {
    CompletableFuture<Void> acked =
        publisher.send(Topics.SUBSCRIBER_STATUS, "acme:+14155550100", status(), null);

    producer.errorNext(new NotEnoughReplicasException("test"));

    assertThat(acked).isCompletedExceptionally();
  }

  @Test
  void shouldFailTheFutureWhenSendingThrows() {
    producer.close();

    assertThat(publisher.send(Topics.SUBSCRIBER_STATUS, "k", status(), null))
        .isCompletedExceptionally();
  }

  @Test
  void shouldPublishKeyedAndTimestampedAndReturnOnceAcknowledged() throws Exception {
    // When a record is published with its event time
    published.publisher().publish(Topics.VERIFICATION_ATTEMPTS, "+14155550100", attempt(), AT);

    // Then it was sent once, keyed and stamped with that time, as Avro the topic's reader decodes
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
    assertThat(published.keysOn(Topics.VERIFICATION_ATTEMPTS)).containsExactly("+14155550100");
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

  @Test
  void shouldThrowAPublishExceptionWhenNoAckComesWithinTheTimeout() {
    // Given a producer that never acknowledges (MockProducer without auto-completion)

    // When a record is published, Then the wait ends with the ack timeout
    assertThatThrownBy(
            () -> publisher.publish(Topics.VERIFICATION_ATTEMPTS, "+14155550100", attempt(), AT))
        .isInstanceOf(PublishException.class)
        .hasMessageContaining("no acknowledgement from Kafka within PT0.2S")
        .hasMessageContaining(Topics.VERIFICATION_ATTEMPTS.name());
  }

  @Test
  void shouldKeepAcksAllIdempotenceAndABoundedSendWhateverTheSettingsSay() {
    Map<String, Object> config =
        KafkaRecordPublisher.producerConfig(
            "optin-test",
            Map.of(
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000",
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092"),
            Duration.ofSeconds(3));

    assertThat(config)
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
        .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000")
        .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092")
        .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "optin-test");
  }
}
