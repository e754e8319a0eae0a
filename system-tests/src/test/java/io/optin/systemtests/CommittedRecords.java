package io.optin.systemtests;

import io.optin.kit.kafka.TopicReader;
import io.optin.schemas.Topic;
import io.optin.schemas.serde.AvroDeserializer;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The topics as a data team reads them: every committed record up to the end ({@code
 * read_committed}: an open transaction holds the end back), decoded with optin's Avro deserializer;
 * and how far a consumer group has got.
 */
public final class CommittedRecords {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String bootstrapServers;
  private final Function<Topic<?>, Deserializer<?>> values;

  /** Values decoded by an {@link AvroDeserializer} configured with the registry's URL. */
  public CommittedRecords(String bootstrapServers, String registryUrl) {
    this.bootstrapServers = bootstrapServers;
    this.values =
        topic -> {
          AvroDeserializer<SpecificRecord> deserializer = new AvroDeserializer<>();
          deserializer.configure(Map.of("schema.registry.url", registryUrl), false);
          return deserializer;
        };
  }

  /** Values decoded by these serdes. */
  public CommittedRecords(String bootstrapServers, AvroSerdes serdes) {
    this.bootstrapServers = bootstrapServers;
    this.values = topic -> serdes.forTopic(topic).deserializer();
  }

  /** Every committed value of the topic, in offset order per partition. */
  public <V extends SpecificRecord> List<V> read(Topic<V> topic) {
    return records(topic).stream().map(ConsumerRecord::value).toList();
  }

  /** Every committed record of the topic, in offset order per partition. */
  @SuppressWarnings("unchecked")
  public <V extends SpecificRecord> List<ConsumerRecord<String, V>> records(Topic<V> topic) {
    try {
      return new TopicReader(
              Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), TIMEOUT)
          .readAll(topic.name(), new StringDeserializer(), (Deserializer<V>) values.apply(topic));
    } catch (TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether the group has committed, on every partition of the topic, the offset at its end:
   * everything written so far has been processed and its results committed.
   */
  public boolean caughtUp(String groupId, Topic<?> topic) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
      List<TopicPartition> partitions =
          admin
              .describeTopics(List.of(topic.name()))
              .allTopicNames()
              .get()
              .get(topic.name())
              .partitions()
              .stream()
              .map(p -> new TopicPartition(topic.name(), p.partition()))
              .toList();
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin
              .listOffsets(
                  partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
              .all()
              .get();
      return partitions.stream()
          .allMatch(
              p ->
                  committed.get(p) != null
                      ? committed.get(p).offset() >= ends.get(p).offset()
                      : ends.get(p).offset() == 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return false;
    }
  }
}
