package io.optin.kit.kafka;

import io.optin.schemas.Topic;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The real {@link KafkaRecordPublisher} over Kafka's {@link MockProducer}, every send acknowledged
 * at once (or, {@link #withHeldAcks()}, when the test says): records are serialized to real
 * Confluent wire-format Avro bytes, and read back from what the producer was given.
 */
public final class PublishedRecords {

  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  private final MockProducer<String, byte[]> producer;
  private final KafkaRecordPublisher publisher;

  public PublishedRecords() {
    this(true);
  }

  private PublishedRecords(boolean autoAck) {
    producer = new MockProducer<>(autoAck, null, new StringSerializer(), new ByteArraySerializer());
    publisher = new KafkaRecordPublisher(producer, serdes, Duration.ofSeconds(5));
  }

  /**
   * Sends that stay unacknowledged until {@link #ackNext()} or {@link #failNext}, as on a slow or
   * failing broker.
   */
  public static PublishedRecords withHeldAcks() {
    return new PublishedRecords(false);
  }

  /** Acknowledges the oldest send still waiting; false when none waits. */
  public boolean ackNext() {
    return producer.completeNext();
  }

  /** Fails the oldest send still waiting with {@code failure}; false when none waits. */
  public boolean failNext(RuntimeException failure) {
    return producer.errorNext(failure);
  }

  public KafkaRecordPublisher publisher() {
    return publisher;
  }

  /** Makes every following send fail, as a broker that is down would. */
  public void failSends(RuntimeException failure) {
    producer.sendException = failure;
  }

  /** Sends succeed again, as once the broker is back. */
  public void acceptSends() {
    producer.sendException = null;
  }

  /** Every record sent, as the producer was given it. */
  public List<ProducerRecord<String, byte[]>> raw() {
    return producer.history();
  }

  /** The records published to a topic, decoded from their bytes, in order. */
  public <V extends SpecificRecord> List<V> on(Topic<V> topic) {
    return producer.history().stream()
        .filter(r -> r.topic().equals(topic.name()))
        .map(r -> serdes.forTopic(topic).deserializer().deserialize(topic.name(), r.value()))
        .toList();
  }

  /** The keys of the records published to a topic, in order. */
  public List<String> keysOn(Topic<?> topic) {
    return producer.history().stream()
        .filter(r -> r.topic().equals(topic.name()))
        .map(ProducerRecord::key)
        .toList();
  }
}
