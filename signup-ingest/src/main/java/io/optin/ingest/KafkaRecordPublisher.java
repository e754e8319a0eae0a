package io.optin.ingest;

import io.optin.schemas.Topic;
import io.optin.schemas.serde.AvroSerdes;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes records of the catalogue through one idempotent {@code acks=all} producer; a record
 * counts as published only when every in-sync replica has it. Values are Avro in the Confluent wire
 * format.
 */
public final class KafkaRecordPublisher implements RecordPublisher {

  private final Producer<String, byte[]> producer;
  private final AvroSerdes serdes;
  private final Map<String, Serializer<?>> serializers = new ConcurrentHashMap<>();

  public KafkaRecordPublisher(Map<String, String> clientSettings, AvroSerdes serdes) {
    this(
        new KafkaProducer<>(
            producerConfig(clientSettings), new StringSerializer(), new ByteArraySerializer()),
        serdes);
  }

  KafkaRecordPublisher(Producer<String, byte[]> producer, AvroSerdes serdes) {
    this.producer = producer;
    this.serdes = serdes;
  }

  /**
   * Producer settings: defaults, then the Kafka client settings given, then the two that make "202
   * means stored" true, which no setting may drop. The delivery timeout stays under the ingest
   * publish timeout so a failure is reported before the request gives up.
   */
  static Map<String, Object> producerConfig(Map<String, String> clientSettings) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "optin-ingest");
    config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
    config.putAll(clientSettings);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return config;
  }

  @Override
  public <V extends SpecificRecord> CompletableFuture<Void> publish(
      Topic<V> topic, String key, V value) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    try {
      byte[] bytes = serializer(topic).serialize(topic.name(), value);
      producer.send(
          new ProducerRecord<>(topic.name(), key, bytes),
          (metadata, failure) -> {
            if (failure != null) {
              acked.completeExceptionally(failure);
            } else {
              acked.complete(null);
            }
          });
    } catch (RuntimeException e) {
      // Registry unreachable, buffer full past max.block.ms, producer closed: all are failures to
      // publish.
      acked.completeExceptionally(e);
    }
    return acked;
  }

  @SuppressWarnings("unchecked")
  private <V extends SpecificRecord> Serializer<V> serializer(Topic<V> topic) {
    return (Serializer<V>)
        serializers.computeIfAbsent(topic.name(), name -> serdes.forTopic(topic).serializer());
  }

  @Override
  public void close() {
    producer.close();
  }
}
