package io.optin.audit.tools;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads partitions of a topic from the beginning to their last committed record as of the start of
 * the read (read_committed, no consumer group, nothing committed): a consistent snapshot for tools.
 */
final class TopicReader {

  private final Map<String, Object> clientSettings;
  private final Duration timeout;

  TopicReader(Map<String, ?> clientSettings, Duration timeout) {
    this.clientSettings = new HashMap<>(clientSettings);
    this.timeout = timeout;
  }

  /** The topic's partition count (0 when it does not exist). */
  int partitions(String topic) {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      return infos == null ? 0 : infos.size();
    }
  }

  /**
   * Every record of the given partitions (all when null) up to the end offsets taken at the start,
   * in offset order within a partition.
   */
  void read(
      String topic, Collection<Integer> partitions, Consumer<ConsumerRecord<String, byte[]>> each)
      throws TimeoutException {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<TopicPartition> assigned =
          (partitions == null
                  ? consumer.partitionsFor(topic, timeout).stream()
                      .map(PartitionInfo::partition)
                      .toList()
                  : List.copyOf(partitions))
              .stream().map(p -> new TopicPartition(topic, p)).toList();
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(assigned, timeout));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reached(consumer, ends)) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              "reading " + topic + " did not reach its end within " + timeout);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
            each.accept(record);
          }
        }
      }
    }
  }

  private static boolean reached(
      KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
    ends.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
    return ends.isEmpty();
  }

  private KafkaConsumer<String, byte[]> consumer() {
    Map<String, Object> props = new HashMap<>(clientSettings);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
