package io.optin.kit.kafka;

import io.optin.schemas.Topic;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes Avro records with an idempotent, {@code acks=all} producer and waits for the broker's
 * acknowledgement (bounded by {@code timeout}), so an HTTP caller is told 2xx only for a record
 * that is written.
 *
 * <p>A timeout does not prove the record was lost: it may still be written. Webhook replays are
 * harmless (their readers deduplicate them: by message sid, or by sid and status); a code attempt
 * retried after a 503 may count twice.
 */
public final class KafkaRecordPublisher implements RecordPublisher, AutoCloseable {

  private final Producer<String, byte[]> producer;
  private final AvroSerdes serdes;
  private final Duration timeout;
  private final Map<String, Serializer<?>> serializers = new ConcurrentHashMap<>();

  public KafkaRecordPublisher(
      Producer<String, byte[]> producer, AvroSerdes serdes, Duration timeout) {
    this.producer = producer;
    this.serdes = serdes;
    this.timeout = timeout;
  }

  /**
   * A publisher with its own producer.
   *
   * @param clientId the producer's {@code client.id} unless the settings name one
   * @param clientSettings Kafka client settings ({@code bootstrap.servers}, security...), prefix
   *     stripped
   */
  public static KafkaRecordPublisher create(
      String clientId, Map<String, String> clientSettings, AvroSerdes serdes, Duration timeout) {
    Properties props = new Properties();
    props.putAll(clientSettings);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // send() may block on metadata; never longer than the caller is willing to wait.
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "1");
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    return new KafkaRecordPublisher(
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer()),
        serdes,
        timeout);
  }

  @Override
  public <V extends SpecificRecord> void publish(
      Topic<V> topic, String key, V value, Instant timestamp) throws PublishException {
    try {
      byte[] bytes = serializer(topic).serialize(topic.name(), value);
      producer
          .send(new ProducerRecord<>(topic.name(), null, timestamp.toEpochMilli(), key, bytes))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted while publishing to " + topic.name(), e);
    } catch (ExecutionException e) {
      throw new PublishException(
          "could not publish to " + topic.name() + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new PublishException(
          "no acknowledgement from Kafka within " + timeout + " for " + topic.name(), e);
    } catch (KafkaException e) {
      // Serialization (registry unreachable) and producer state errors surface here, synchronously.
      throw new PublishException("could not publish to " + topic.name() + ": " + e, e);
    }
  }

  @SuppressWarnings("unchecked")
  private <V extends SpecificRecord> Serializer<V> serializer(Topic<V> topic) {
    return (Serializer<V>)
        serializers.computeIfAbsent(topic.name(), name -> serdes.forTopic(topic).serializer());
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
