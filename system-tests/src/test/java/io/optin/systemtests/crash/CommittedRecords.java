package io.optin.systemtests.crash;

import io.optin.schemas.Topic;
import io.optin.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The topics as a data team reads them: a plain consumer, {@code read_committed}, with optin's Avro
 * deserializer; and how far a consumer group has got.
 */
final class CommittedRecords {

  private final String bootstrapServers;
  private final String registryUrl;

  CommittedRecords(String bootstrapServers, String registryUrl) {
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
  }

  /** Every committed value of the topic, partition by partition. */
  <V extends SpecificRecord> List<V> read(Topic<V> topic) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            AvroDeserializer.class,
            "schema.registry.url",
            registryUrl);
    List<V> values = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(p -> new TopicPartition(topic.name(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // Under read_committed the end is the last stable offset: an open transaction holds the end
      // back.
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
      }
    }
    return values;
  }

  /**
   * Whether the group has committed, on every partition of the topic, the offset at its end:
   * everything written so far has been processed and its results committed.
   */
  boolean caughtUp(String groupId, Topic<?> topic) {
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
