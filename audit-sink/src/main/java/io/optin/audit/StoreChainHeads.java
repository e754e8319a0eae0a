package io.optin.audit;

import io.optin.audit.ledger.ChainHead;
import io.optin.audit.ledger.ChainHeads;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Chain heads in the audit task's state stores (logged, so they move with the task): subject heads
 * by subjectKey, and the partition head under one key. Store iteration is in key byte order, which
 * for hex keys is ascending order.
 */
final class StoreChainHeads implements ChainHeads {

  private static final String PARTITION_HEAD = "partition-head";

  private final KeyValueStore<String, String> subjects;
  private final KeyValueStore<String, String> partitionHead;

  StoreChainHeads(
      KeyValueStore<String, String> subjects, KeyValueStore<String, String> partitionHead) {
    this.subjects = subjects;
    this.partitionHead = partitionHead;
  }

  @Override
  public ChainHead subject(String subjectKey) {
    return ChainHead.decode(subjects.get(subjectKey));
  }

  @Override
  public void putSubject(String subjectKey, ChainHead head) {
    subjects.put(subjectKey, head.encode());
  }

  @Override
  public ChainHead partition() {
    return ChainHead.decode(partitionHead.get(PARTITION_HEAD));
  }

  @Override
  public void putPartition(ChainHead head) {
    partitionHead.put(PARTITION_HEAD, head.encode());
  }

  @Override
  public void forEachSubject(BiConsumer<String, ChainHead> action) {
    try (KeyValueIterator<String, String> all = subjects.all()) {
      while (all.hasNext()) {
        KeyValue<String, String> entry = all.next();
        action.accept(entry.key, ChainHead.decode(entry.value));
      }
    }
  }
}
