package io.optin.kit.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads partitions from the beginning (or given offsets) to their end offsets taken at the start of
 * the read, and no further: a consistent snapshot. {@code read_committed} whatever the client
 * settings say (see {@link #includingUncommitted()}); no consumer group, nothing committed.
 */
public final class TopicReader {

  private static final Duration POLL = Duration.ofMillis(200);

  private final Map<String, Object> clientSettings;
  private final Duration timeout;
  private final String isolationLevel;

  /**
   * @param clientSettings Kafka consumer settings ({@code bootstrap.servers}, security...)
   * @param timeout the longest one read (or one metadata request) may take
   */
  public TopicReader(Map<String, ?> clientSettings, Duration timeout) {
    this(clientSettings, timeout, "read_committed");
  }

  private TopicReader(Map<String, ?> clientSettings, Duration timeout, String isolationLevel) {
    this.clientSettings = new HashMap<>(clientSettings);
    this.timeout = timeout;
    this.isolationLevel = isolationLevel;
  }

  /**
   * The same reader seeing what {@code read_committed} hides: records of aborted and open
   * transactions, up to the high watermark. For checks on the bytes a broker holds.
   */
  public TopicReader includingUncommitted() {
    return new TopicReader(clientSettings, timeout, "read_uncommitted");
  }

  /** The topic's partition count (0 when it does not exist). */
  public int partitions(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        consumer(new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      return infos == null ? 0 : infos.size();
    }
  }

  /** Every record of the topic, string keys and raw values, in offset order per partition. */
  public List<ConsumerRecord<String, byte[]>> readAll(String topic) throws TimeoutException {
    return readAll(topic, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Every record of the topic, in offset order per partition. */
  public <K, V> List<ConsumerRecord<K, V>> readAll(
      String topic, Deserializer<K> keys, Deserializer<V> values) throws TimeoutException {
    List<ConsumerRecord<K, V>> records = new ArrayList<>();
    read(topic, null, keys, values, records::add);
    return records;
  }

  /** Every value of the topic (null for a tombstone), in offset order per partition. */
  public <V> List<V> values(String topic, Deserializer<V> values) throws TimeoutException {
    return readAll(topic, new ByteArrayDeserializer(), values).stream()
        .map(ConsumerRecord::value)
        .toList();
  }

  /**
   * Every record of the given partitions of a topic, string keys and raw values.
   *
   * @param partitions the partitions to read, all of them when null
   */
  public void read(
      String topic, Collection<Integer> partitions, Consumer<ConsumerRecord<String, byte[]>> each)
      throws TimeoutException {
    read(topic, partitions, new StringDeserializer(), new ByteArrayDeserializer(), each);
  }

  /**
   * Every record of the given partitions of a topic, from their beginning.
   *
   * @param partitions the partitions to read, all of them when null
   * @param each told of every record, in offset order within a partition (partitions interleave)
   */
  public <K, V> void read(
      String topic,
      Collection<Integer> partitions,
      Deserializer<K> keys,
      Deserializer<V> values,
      Consumer<ConsumerRecord<K, V>> each)
      throws TimeoutException {
    try (KafkaConsumer<K, V> consumer = consumer(keys, values)) {
      List<TopicPartition> assigned =
          (partitions == null ? allPartitions(consumer, topic) : List.copyOf(partitions))
              .stream().map(p -> new TopicPartition(topic, p)).toList();
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      readToEnd(consumer, EndOffsets.of(consumer, assigned, timeout), timeout, each);
    }
  }

  /**
   * Every record from the given offsets (of any topics) to the ends.
   *
   * @param from the first offset to read of each partition
   */
  public <K, V> void readFrom(
      Map<TopicPartition, Long> from,
      Deserializer<K> keys,
      Deserializer<V> values,
      Consumer<ConsumerRecord<K, V>> each)
      throws TimeoutException {
    try (KafkaConsumer<K, V> consumer = consumer(keys, values)) {
      Map<TopicPartition, Long> start = new LinkedHashMap<>(from);
      consumer.assign(start.keySet());
      start.forEach(consumer::seek);
      readToEnd(consumer, EndOffsets.of(consumer, start.keySet(), timeout), timeout, each);
    }
  }

  /**
   * Polls a consumer already assigned and positioned until it has reached {@code ends}, handing
   * over every record before them. For a caller that owns its consumer (a shared one, a mock).
   *
   * @throws TimeoutException when the ends are not reached within {@code timeout}
   */
  public static <K, V> void readToEnd(
      org.apache.kafka.clients.consumer.Consumer<K, V> consumer,
      EndOffsets ends,
      Duration timeout,
      Consumer<ConsumerRecord<K, V>> each)
      throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ends.reachedBy(consumer)) {
      if (System.nanoTime() - deadline > 0) {
        throw new TimeoutException(
            "reading did not reach the end offsets " + ends + " within " + timeout);
      }
      for (ConsumerRecord<K, V> record : consumer.poll(POLL)) {
        if (ends.includes(record)) {
          each.accept(record);
        }
      }
    }
  }

  private List<Integer> allPartitions(KafkaConsumer<?, ?> consumer, String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
    return infos == null ? List.of() : infos.stream().map(PartitionInfo::partition).toList();
  }

  private <K, V> KafkaConsumer<K, V> consumer(Deserializer<K> keys, Deserializer<V> values) {
    Map<String, Object> props = new HashMap<>(clientSettings);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
    props.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
    return new KafkaConsumer<>(props, keys, values);
  }
}
