package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.OptInStatus;
import io.optin.avro.SubscriberStatus;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The publisher over Kafka's MockProducer: real Avro bytes, and the ack (or its failure) reaches
 * the caller.
 */
class KafkaRecordPublisherTest {

  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
  private final KafkaRecordPublisher publisher = new KafkaRecordPublisher(producer, serdes);

  private static SubscriberStatus status() {
    return SubscriberStatus.newBuilder()
        .setProgramId("acme")
        .setPhone("+14155550100")
        .setStatus(OptInStatus.CONFIRMED)
        .setUpdatedAt(Instant.parse("2025-03-01T10:00:00Z"))
        .build();
  }

  @Test
  void shouldSendConfluentWireFormatBytesUnderTheKeyAndCompleteOnTheAck() {
    CompletableFuture<Void> acked =
        publisher.publish(Topics.SUBSCRIBER_STATUS, "acme:+14155550100", status());

    ProducerRecord<String, byte[]> sent = producer.history().get(0);
    assertThat(sent.topic()).isEqualTo(Topics.SUBSCRIBER_STATUS.name());
    assertThat(sent.key()).isEqualTo("acme:+14155550100");
    assertThat(sent.value()[0]).isZero();
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
        publisher.publish(Topics.SUBSCRIBER_STATUS, "acme:+14155550100", status());

    producer.errorNext(new org.apache.kafka.common.errors.NotEnoughReplicasException("test"));

    assertThat(acked).isCompletedExceptionally();
  }

  @Test
  void shouldFailTheFutureWhenSendingThrows() {
    producer.close();

    assertThat(publisher.publish(Topics.SUBSCRIBER_STATUS, "k", status()))
        .isCompletedExceptionally();
  }

  @Test
  void shouldKeepAcksAllAndIdempotenceWhateverTheSettingsSay() {
    Map<String, Object> config =
        KafkaRecordPublisher.producerConfig(
            Map.of(
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092"));

    assertThat(config)
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
        .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092");
  }
}
