package io.optin.audit.ledger;

import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.LedgerCheckpoint;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ledger written the way the audit task writes it, without Kafka: records chained by {@link
 * LedgerAppender} per partition, checkpoints in-band and as the latest per partition, offsets with
 * gaps like a transactional topic.
 */
final class LedgerFixture {

  static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");

  final CheckpointSigningKey signingKey;
  final List<LedgerEntry> entries = new ArrayList<>();
  final Map<Integer, LedgerCheckpoint> latest = new LinkedHashMap<>();
  private final Map<Integer, LedgerAppender> appenders = new LinkedHashMap<>();
  private final Map<Integer, Long> nextOffsets = new LinkedHashMap<>();
  private int events;

  LedgerFixture(CheckpointSigningKey signingKey) {
    this.signingKey = signingKey;
  }

  /**
   * Two partitions, three subjects each, seven steps per subject, a checkpoint after every five
   * records.
   */
  static LedgerFixture standard(CheckpointSigningKey key) {
    LedgerFixture ledger = new LedgerFixture(key);
    ConsentEventType[] flow = {
      ConsentEventType.REQUESTED,
      ConsentEventType.SENT,
      ConsentEventType.DELIVERED,
      ConsentEventType.REPLY_RECEIVED,
      ConsentEventType.CONFIRMED,
      ConsentEventType.OPTED_OUT,
      ConsentEventType.OPTED_IN
    };
    int sinceCheckpoint = 0;
    for (ConsentEventType type : flow) {
      for (int partition = 0; partition < 2; partition++) {
        for (int subject = 0; subject < 3; subject++) {
          ledger.append(partition, "subject-" + partition + "-" + subject, type);
        }
      }
      if (++sinceCheckpoint % 2 == 0) {
        ledger.checkpoint(0);
        ledger.checkpoint(1);
      }
    }
    ledger.append(0, "subject-0-0", ConsentEventType.ERASED);
    ledger.checkpoint(0);
    ledger.checkpoint(1);
    return ledger;
  }

  LedgerEntry append(int partition, String subject, ConsentEventType type) {
    int n = events++;
    ConsentAuditRecord unchained =
        ConsentAuditRecord.newBuilder()
            .setEventId("event-" + n)
            .setEventType(type)
            .setOccurredAt(T0.plusSeconds(n))
            .setSubjectKey(subject)
            .setProgramId("acme-deals")
            .setDetail("step " + n)
            .setSourceTopic("optin.challenges.v1")
            .setSourcePartition(partition)
            .setSourceOffset((long) n)
            .setKeyId("key-" + subject)
            .setSealedPersonalData(
                ByteBuffer.wrap(new byte[] {1, (byte) n, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}))
            .build();
    return add(partition, subject, appender(partition).append(unchained));
  }

  Checkpointed checkpoint(int partition) {
    Checkpointed checkpointed = appender(partition).checkpoint(T0.plusSeconds(events++));
    if (checkpointed != null) {
      add(partition, null, checkpointed.record());
      latest.put(partition, checkpointed.checkpoint());
    }
    return checkpointed;
  }

  List<LedgerEntry> inPartition(int partition) {
    return entries.stream().filter(e -> e.partition() == partition).toList();
  }

  private LedgerEntry add(int partition, String key, ConsentAuditRecord record) {
    long offset = nextOffsets.merge(partition, 0L, (a, b) -> a + 2);
    LedgerEntry entry = new LedgerEntry(partition, offset, key, record);
    entries.add(entry);
    return entry;
  }

  private LedgerAppender appender(int partition) {
    return appenders.computeIfAbsent(
        partition, p -> new LedgerAppender(p, new InMemoryChainHeads(), signingKey));
  }
}
