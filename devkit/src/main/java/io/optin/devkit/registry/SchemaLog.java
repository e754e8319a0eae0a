package io.optin.devkit.registry;

import io.optin.kit.kafka.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's durable state: a compacted, single-partition Kafka topic of registry facts.
 *
 * <p>One partition keeps every fact in one total order, so a replay rebuilds the same ids and
 * versions. {@link #append} returns only once the broker acknowledged the write to all in-sync
 * replicas.
 */
final class SchemaLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaLog.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /**
   * Largest fact written (key and value, UTF-8): below the producer's default request size and the
   * broker's record size (1 MiB each), so that a schema too large is refused before it is sent
   * rather than failed by Kafka.
   */
  static final int MAX_RECORD_BYTES = 1_000_000;

  private final String topic;
  private final Map<String, Object> clientConfig;
  private final RegistryRecordCodec codec;
  private final KafkaProducer<String, String> producer;

  SchemaLog(
      String bootstrapServers,
      String topic,
      Map<String, Object> clientOverrides,
      RegistryRecordCodec codec) {
    this.topic = topic;
    this.codec = codec;
    this.clientConfig = new HashMap<>(clientOverrides);
    clientConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    Map<String, Object> producerConfig = new HashMap<>(clientConfig);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "schema-registry-" + topic);
    this.producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
  }

  /**
   * Creates the topic (one partition, compacted) when missing; refuses a topic with several
   * partitions.
   */
  void ensureTopic() {
    try (Admin admin = Admin.create(clientConfig)) {
      Optional<TopicDescription> existing = describe(admin);
      if (existing.isEmpty()) {
        create(admin);
      } else if (existing.get().partitions().size() != 1) {
        throw new IllegalStateException(
            "Schema topic "
                + topic
                + " has "
                + existing.get().partitions().size()
                + " partitions; a registry log needs exactly one");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while preparing schema topic " + topic, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer about schema topic " + topic, e);
    }
  }

  private Optional<TopicDescription> describe(Admin admin)
      throws InterruptedException, TimeoutException {
    try {
      return Optional.of(
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return Optional.empty();
      }
      throw new IllegalStateException("Cannot describe schema topic " + topic, e.getCause());
    }
  }

  private void create(Admin admin) throws InterruptedException, TimeoutException {
    try {
      int brokers =
          admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
      short replicationFactor = (short) Math.min(3, brokers);
      NewTopic newTopic =
          new NewTopic(topic, 1, replicationFactor)
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      admin.createTopics(List.of(newTopic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info(
          "Created schema topic {} (compacted, replication factor {})", topic, replicationFactor);
    } catch (ExecutionException e) {
      // Another process created it meanwhile: fine, it is the topic we wanted.
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Cannot create schema topic " + topic, e.getCause());
      }
    }
  }

  /** Feeds every fact from the beginning of the topic to its current end, then returns how many. */
  int replay(Consumer<RegistryRecord> sink) {
    AtomicInteger facts = new AtomicInteger();
    try {
      new TopicReader(clientConfig, TIMEOUT)
          .read(
              topic,
              Set.of(0),
              new StringDeserializer(),
              new StringDeserializer(),
              record ->
                  decode(record)
                      .ifPresent(
                          fact -> {
                            sink.accept(fact);
                            facts.incrementAndGet();
                          }));
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Schema topic " + topic + " was not read to its end within " + TIMEOUT.toSeconds() + "s",
          e);
    }
    return facts.get();
  }

  /**
   * Writes one fact and waits for the broker's acknowledgement.
   *
   * @throws RegistryException 413 when the fact is above {@link #MAX_RECORD_BYTES} (nothing
   *     written), 500 when the broker does not take it (the cause is logged, not answered)
   */
  void append(RegistryRecord fact) {
    RegistryRecordCodec.Encoded encoded = codec.encode(fact);
    long size = utf8Length(encoded.key()) + utf8Length(encoded.value());
    if (size > MAX_RECORD_BYTES) {
      throw RegistryErrors.tooLarge(
          "the schema takes "
              + size
              + " bytes once stored, more than the "
              + MAX_RECORD_BYTES
              + " this registry stores");
    }
    try {
      producer
          .send(new ProducerRecord<>(topic, 0, encoded.key(), encoded.value()))
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryErrors.storeFailure("interrupted while writing to " + topic);
    } catch (ExecutionException e) {
      LOG.error("Cannot write to schema topic {}", topic, e);
      if (e.getCause() instanceof RecordTooLargeException) {
        // A topic or broker configured for smaller records than MAX_RECORD_BYTES.
        throw RegistryErrors.tooLarge("the schema is larger than the schema topic takes");
      }
      throw RegistryErrors.storeFailure("cannot write to " + topic);
    } catch (TimeoutException e) {
      LOG.error("Cannot write to schema topic {}", topic, e);
      throw RegistryErrors.storeFailure("cannot write to " + topic);
    }
  }

  private static long utf8Length(String text) {
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }

  private Optional<RegistryRecord> decode(ConsumerRecord<String, String> record) {
    if (record.key() == null) {
      return Optional.empty();
    }
    try {
      return codec.decode(record.key(), record.value());
    } catch (RuntimeException e) {
      // One foreign or damaged record must not keep the registry from starting.
      LOG.warn(
          "Skipping unreadable record at offset {} of {}: {}",
          record.offset(),
          topic,
          e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
