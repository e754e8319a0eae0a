package io.optin.kit.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The end offsets of partitions captured at one moment (under {@code read_committed}, the last
 * stable offsets: an open transaction holds the end back), and which of them a consumer has not yet
 * read up to. Not thread-safe: use it on the consumer's thread.
 */
public final class EndOffsets {

  private final Map<TopicPartition, Long> remaining;

  private EndOffsets(Map<TopicPartition, Long> ends) {
    this.remaining = new HashMap<>(ends);
  }

  /** The ends of these partitions now, as the consumer's isolation level sees them. */
  public static EndOffsets of(
      Consumer<?, ?> consumer, Collection<TopicPartition> partitions, Duration timeout) {
    return new EndOffsets(consumer.endOffsets(partitions, timeout));
  }

  /** Ends already known (e.g. from an admin client). */
  public static EndOffsets of(Map<TopicPartition, Long> ends) {
    return new EndOffsets(ends);
  }

  /**
   * Whether the consumer's position has reached the end of every partition; a partition once
   * reached is not asked about again.
   */
  public boolean reachedBy(Consumer<?, ?> consumer) {
    remaining.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
    return remaining.isEmpty();
  }

  /** Whether the record lies before the end of its partition (false once its end was reached). */
  public boolean includes(ConsumerRecord<?, ?> record) {
    Long end = remaining.get(new TopicPartition(record.topic(), record.partition()));
    return end != null && record.offset() < end;
  }

  @Override
  public String toString() {
    return remaining.toString();
  }
}
