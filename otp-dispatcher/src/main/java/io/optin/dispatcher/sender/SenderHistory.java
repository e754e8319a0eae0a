package io.optin.dispatcher.sender;

import io.optin.avro.ReportSource;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SmsSendIntent;
import io.optin.kit.kafka.EndOffsets;
import io.optin.kit.kafka.TopicReader;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads back the senders' committed reports and send intents: on start those of the dedupe window,
 * later (each time the sender is given partitions) what was committed since, e.g. by the instance
 * that had them before. A command reported is never sent again; a command with an intent and no
 * report is looked up at the provider first. Keeps its consumer assigned between reads.
 */
final class SenderHistory {

  private static final Logger log = LoggerFactory.getLogger(SenderHistory.class);

  private final Consumer<byte[], byte[]> consumer;
  private final Deserializer<SmsDeliveryReport> reports;
  private final Deserializer<SmsSendIntent> intentValues;
  private final DeliveredCommands delivered;
  private final SendIntents intents;
  private final Duration window;
  private final Duration timeout;
  private final Clock clock;
  private List<TopicPartition> partitions = List.of();

  /**
   * @param consumer a consumer without group, reading {@code read_committed}; this class closes
   *     nothing
   */
  SenderHistory(
      Consumer<byte[], byte[]> consumer,
      AvroSerdes serdes,
      DeliveredCommands delivered,
      SendIntents intents,
      Duration window,
      Duration timeout,
      Clock clock) {
    this.consumer = consumer;
    this.reports = serdes.forTopic(Topics.SMS_DELIVERY).deserializer();
    this.intentValues = serdes.forTopic(Topics.SMS_INTENTS).deserializer();
    this.delivered = delivered;
    this.intents = intents;
    this.window = window;
    this.timeout = timeout;
    this.clock = clock;
  }

  /**
   * Reads both topics from {@code window} ago to their ends as they stand now.
   *
   * @throws IllegalStateException if the ends are not reached within the timeout
   */
  void load() {
    partitions = new ArrayList<>();
    partitions.addAll(partitionsOf(Topics.SMS_DELIVERY.name()));
    partitions.addAll(partitionsOf(Topics.SMS_INTENTS.name()));
    consumer.assign(partitions);
    if (partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    long since = clock.instant().minus(window).toEpochMilli();
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(p -> query.put(p, since));
    Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(query);
    for (TopicPartition partition : partitions) {
      OffsetAndTimestamp first = start.get(partition);
      consumer.seek(partition, first == null ? end.get(partition) : first.offset());
    }
    int[] read = readTo(end);
    log.info(
        "Read back {} handled command(s) and {} command(s) intended without a report (window {})",
        read[0],
        intents.size(),
        window);
  }

  /**
   * Reads what was committed since the last read, up to the ends as they stand now.
   *
   * @throws IllegalStateException if the ends are not reached within the timeout
   */
  void catchUp() {
    if (partitions.isEmpty()) {
      return;
    }
    readTo(consumer.endOffsets(partitions));
  }

  private int[] readTo(Map<TopicPartition, Long> end) {
    int[] read = new int[1];
    try {
      TopicReader.readToEnd(
          consumer, EndOffsets.of(end), timeout, record -> read[0] += add(record));
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "could not read "
              + Topics.SMS_DELIVERY.name()
              + " and "
              + Topics.SMS_INTENTS.name()
              + " to their ends within "
              + timeout
              + "; refusing to send without knowing which commands were already handled",
          e);
    }
    // A report may be read before the intent it resolves (two topics): settle them after reading.
    intents.resolveAll(delivered);
    return read;
  }

  private List<TopicPartition> partitionsOf(String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic);
    return infos == null
        ? List.of()
        : infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
  }

  private int add(ConsumerRecord<byte[], byte[]> record) {
    try {
      if (record.topic().equals(Topics.SMS_INTENTS.name())) {
        intents.intended(intentValues.deserialize(record.topic(), record.value()));
        return 0;
      }
      SmsDeliveryReport report = reports.deserialize(record.topic(), record.value());
      boolean fromSender =
          report.getSource() == ReportSource.SENDER && report.getCommandId() != null;
      return fromSender && delivered.remember(report.getCommandId(), report.getOccurredAt())
          ? 1
          : 0;
    } catch (RuntimeException e) {
      // An unreadable record says nothing about a command: the sender never wrote it.
      log.warn(
          "Skipping unreadable record {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.toString());
      return 0;
    }
  }
}
