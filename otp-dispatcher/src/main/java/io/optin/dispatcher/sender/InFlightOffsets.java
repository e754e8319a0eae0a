package io.optin.dispatcher.sender;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which consumed offsets may be committed while commands complete out of order: per partition, up
 * to the lowest command still in flight, or past the highest polled when none is (contiguous
 * completion). A crash thus replays every command whose report is not committed, and only those and
 * the completed ones after them. Not thread-safe: the send loop alone uses it.
 */
final class InFlightOffsets {

  private static final class Progress {
    final TreeSet<Long> pending = new TreeSet<>();
    long next = -1;
    long committed = -1;

    long committable() {
      return pending.isEmpty() ? next : pending.first();
    }
  }

  private final Map<TopicPartition, Progress> partitions = new HashMap<>();
  private int inFlight;

  /** A record was polled: it is in flight until {@link #completed}. */
  void polled(TopicPartition partition, long offset) {
    // The first offset polled is where the partition's committed position stood.
    Progress progress =
        partitions.computeIfAbsent(
            partition,
            p -> {
              Progress fresh = new Progress();
              fresh.committed = offset;
              return fresh;
            });
    if (progress.pending.add(offset)) {
      inFlight++;
    }
    progress.next = Math.max(progress.next, offset + 1);
  }

  /** The record's outcome is ready to commit; ignored for a partition forgotten meanwhile. */
  void completed(TopicPartition partition, long offset) {
    Progress progress = partitions.get(partition);
    if (progress != null && progress.pending.remove(offset)) {
      inFlight--;
    }
  }

  int inFlight() {
    return inFlight;
  }

  int inFlight(Collection<TopicPartition> among) {
    int count = 0;
    for (TopicPartition partition : among) {
      Progress progress = partitions.get(partition);
      count += progress == null ? 0 : progress.pending.size();
    }
    return count;
  }

  /** The offsets to commit now: each partition whose committable position moved since. */
  Map<TopicPartition, OffsetAndMetadata> advanced() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    partitions.forEach(
        (partition, progress) -> {
          long position = progress.committable();
          if (position > progress.committed) {
            offsets.put(partition, new OffsetAndMetadata(position));
          }
        });
    return offsets;
  }

  /** The offsets of {@link #advanced()} are committed. */
  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach(
        (partition, offset) -> {
          Progress progress = partitions.get(partition);
          if (progress != null) {
            progress.committed = Math.max(progress.committed, offset.offset());
          }
        });
  }

  /** The partitions are no longer ours: their commands in flight count no more. */
  void forget(Collection<TopicPartition> revoked) {
    for (TopicPartition partition : revoked) {
      Progress progress = partitions.remove(partition);
      if (progress != null) {
        inFlight -= progress.pending.size();
      }
    }
  }
}
