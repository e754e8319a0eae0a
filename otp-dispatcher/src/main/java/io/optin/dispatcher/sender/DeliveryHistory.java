package io.optin.dispatcher.sender;

import io.optin.avro.ReportSource;
import io.optin.avro.SmsDeliveryReport;
import io.optin.kit.kafka.EndOffsets;
import io.optin.kit.kafka.TopicReader;
import io.optin.kit.streams.Decoded;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads back the sender's own committed reports of the dedupe window, so that a command already
 * reported is never sent again, even if the outbox is replayed (offsets reset, group recreated).
 */
final class DeliveryHistory {

  private static final Logger log = LoggerFactory.getLogger(DeliveryHistory.class);

  private final Consumer<byte[], Decoded<SmsDeliveryReport>> consumer;
  private final String topic;
  private final Clock clock;

  /**
   * @param consumer a consumer without group, reading {@code read_committed}; this class closes
   *     nothing
   */
  DeliveryHistory(
      Consumer<byte[], Decoded<SmsDeliveryReport>> consumer, String topic, Clock clock) {
    this.consumer = consumer;
    this.topic = topic;
    this.clock = clock;
  }

  /**
   * Adds every command reported by a sender since {@code window} ago, up to the end of the topic as
   * it stood when loading began; returns how many were added.
   *
   * @throws IllegalStateException if the end is not reached within {@code timeout}
   */
  int loadInto(DeliveredCommands delivered, Duration window, Duration timeout) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(PartitionInfo::partition)
            .map(p -> new TopicPartition(topic, p))
            .toList();
    if (partitions.isEmpty()) {
      return 0;
    }
    consumer.assign(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    long since = clock.instant().minus(window).toEpochMilli();
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(p -> query.put(p, since));
    Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(query);
    for (TopicPartition partition : partitions) {
      OffsetAndTimestamp first = start.get(partition);
      consumer.seek(partition, first == null ? end.get(partition) : first.offset());
    }
    AtomicInteger added = new AtomicInteger();
    try {
      TopicReader.readToEnd(
          consumer,
          EndOffsets.of(end),
          timeout,
          record -> added.addAndGet(remember(delivered, record.value())));
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "could not read "
              + topic
              + " to its end within "
              + timeout
              + "; refusing to send without knowing which commands were already handled",
          e);
    }
    consumer.unsubscribe();
    log.info("Read back {} handled command(s) from {} (window {})", added.get(), topic, window);
    return added.get();
  }

  private static int remember(DeliveredCommands delivered, Decoded<SmsDeliveryReport> decoded) {
    if (!decoded.isOk()) {
      return 0;
    }
    SmsDeliveryReport report = decoded.value();
    boolean fromSender = report.getSource() == ReportSource.SENDER && report.getCommandId() != null;
    return fromSender && delivered.remember(report.getCommandId(), report.getOccurredAt()) ? 1 : 0;
  }
}
