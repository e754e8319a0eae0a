package io.optin.webhooks;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of one partition read but not yet acknowledged by every endpoint, and one {@link
 * EndpointLane} per endpoint. The offset safe to commit is that of the first record some endpoint
 * still waits for: a restart redelivers from there, and nothing an endpoint has not acknowledged
 * (or that was not dead-lettered for it) is ever committed. Touched by the consumer thread only.
 */
final class PartitionQueue {

  /** One record read: its event, or null when the record tells none. */
  record Entry(long offset, WebhookEvent event, byte[] body, byte[] rawKey, byte[] rawValue) {}

  final TopicPartition partition;
  final List<EndpointLane> lanes;
  private final List<Entry> entries = new ArrayList<>();

  /** Sequence number of the first entry kept. */
  private long base;

  /** The offset after the last record read, -1 before the first. */
  private long nextOffset = -1;

  private long committed = -1;

  PartitionQueue(TopicPartition partition, List<URI> endpoints) {
    this.partition = partition;
    List<EndpointLane> made = new ArrayList<>();
    endpoints.forEach(endpoint -> made.add(new EndpointLane(endpoint, 0)));
    this.lanes = List.copyOf(made);
  }

  void append(Entry entry) {
    entries.add(entry);
    nextOffset = entry.offset() + 1;
  }

  /** Sequence number after the last entry. */
  long end() {
    return base + entries.size();
  }

  int size() {
    return entries.size();
  }

  Entry at(long sequence) {
    if (sequence < base || sequence >= end()) {
      throw new IndexOutOfBoundsException(sequence + " not in [" + base + ", " + end() + ")");
    }
    return entries.get((int) (sequence - base));
  }

  /**
   * Drops the entries every lane is past and returns the offset to commit when it moved: that of
   * the first entry a lane still waits for, or the one after the last record read when none waits.
   */
  OptionalLong advance() {
    long slowest = lanes.stream().mapToLong(lane -> lane.cursor).min().orElse(end());
    if (slowest > base) {
      entries.subList(0, (int) (slowest - base)).clear();
      base = slowest;
    }
    long offset = entries.isEmpty() ? nextOffset : entries.get(0).offset();
    if (offset < 0 || offset <= committed) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(offset);
  }

  void committed(long offset) {
    committed = Math.max(committed, offset);
  }

  void cancel() {
    lanes.forEach(EndpointLane::cancel);
  }
}
