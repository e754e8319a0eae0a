package io.optin.kit.kafka;

import io.optin.schemas.Topic;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes records of the catalogue through one idempotent {@code acks=all} producer, values as
 * Avro in the Confluent wire format; {@link #publish} waits at most the ack timeout, send included.
 *
 * <p>A timeout does not prove the record was lost: it may still be written. Webhook replays are
 * harmless (the reply topology deduplicates by message sid); a signup or code attempt retried after
 * a 503 is deduplicated by its idempotency key, or counted twice.
 */
public final class KafkaRecordPublisher implements RecordPublisher {

  private final Producer<String, byte[]> producer;
  private final AvroSerdes serdes;
  private final Duration ackTimeout;
  private final Map<String, Serializer<?>> serializers = new ConcurrentHashMap<>();

  /**
   * @param producer closed by {@link #close()}
   * @param ackTimeout the longest {@link #publish} waits for the broker's acknowledgement
   */
  public KafkaRecordPublisher(
      Producer<String, byte[]> producer, AvroSerdes serdes, Duration ackTimeout) {
    this.producer = producer;
    this.serdes = serdes;
    this.ackTimeout = ackTimeout;
  }

  /**
   * A publisher with its own producer.
   *
   * @param clientId the producer's {@code client.id} unless the settings name one
   * @param clientSettings Kafka client settings ({@code bootstrap.servers}, security...), prefix
   *     stripped
   */
  public static KafkaRecordPublisher create(
      String clientId, Map<String, String> clientSettings, AvroSerdes serdes, Duration ackTimeout) {
    return new KafkaRecordPublisher(
        new KafkaProducer<>(
            producerConfig(clientId, clientSettings, ackTimeout),
            new StringSerializer(),
            new ByteArraySerializer()),
        serdes,
        ackTimeout);
  }

  /**
   * Producer settings: defaults, then the Kafka client settings given, then what makes "2xx means
   * stored" true, which no setting may drop: {@code acks=all}, idempotence, and a {@code send()}
   * that never blocks on metadata longer than the caller is willing to wait. The delivery timeout
   * stays under the usual ack timeouts so a failure is reported before the caller gives up.
   */
  static Map<String, Object> producerConfig(
      String clientId, Map<String, String> clientSettings, Duration ackTimeout) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
    config.putAll(clientSettings);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    long maxBlock = Long.parseLong(config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG).toString());
    config.put(
        ProducerConfig.MAX_BLOCK_MS_CONFIG,
        Long.toString(Math.min(maxBlock, ackTimeout.toMillis())));
    return config;
  }

  @Override
  public <V extends SpecificRecord> CompletableFuture<Void> send(
      Topic<V> topic, String key, V value, Instant timestamp) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    try {
      byte[] bytes = serializer(topic).serialize(topic.name(), value);
      Long millis = timestamp == null ? null : timestamp.toEpochMilli();
      producer.send(
          new ProducerRecord<>(topic.name(), null, millis, key, bytes),
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

  @Override
  public <V extends SpecificRecord> void publish(
      Topic<V> topic, String key, V value, Instant timestamp) throws PublishException {
    long deadline = System.nanoTime() + ackTimeout.toNanos();
    CompletableFuture<Void> acked = send(topic, key, value, timestamp);
    try {
      acked.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted while publishing to " + topic.name(), e);
    } catch (ExecutionException e) {
      throw new PublishException(
          "could not publish to " + topic.name() + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new PublishException(
          "no acknowledgement from Kafka within " + ackTimeout + " for " + topic.name(), e);
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
