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
 * The real {@link KafkaRecordPublisher} over Kafka's {@link MockProducer}: records are serialized
 * to real Confluent wire-format Avro bytes, and read back from what the producer was given.
 */
public final class PublishedRecords {

  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  private final KafkaRecordPublisher publisher =
      new KafkaRecordPublisher(producer, serdes, Duration.ofSeconds(5));

  public KafkaRecordPublisher publisher() {
    return publisher;
  }

  /** Makes every following send fail, as a broker that is down would. */
  public void failSends(RuntimeException failure) {
    producer.sendException = failure;
  }

  public List<ProducerRecord<String, byte[]>> raw() {
    return producer.history();
  }

  /** The records published to a topic, decoded from their bytes. */
  public <V extends SpecificRecord> List<V> on(Topic<V> topic) {
    return producer.history().stream()
        .filter(r -> r.topic().equals(topic.name()))
        .map(r -> serdes.forTopic(topic).deserializer().deserialize(topic.name(), r.value()))
        .toList();
  }
}
