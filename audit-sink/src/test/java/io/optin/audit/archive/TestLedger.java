package io.optin.audit.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.audit.archive.ArchiveVerification.ArchiveVerdict;
import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.ledger.ChainBreak;
import io.optin.audit.ledger.Checkpointed;
import io.optin.audit.ledger.InMemoryChainHeads;
import io.optin.audit.ledger.LedgerAppender;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.LedgerCheckpoint;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerializer;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chained, checkpointed ledger as it sits in Kafka, without Kafka: records appended by the real
 * {@link LedgerAppender}, serialised in the Confluent wire format, at offsets with the gaps
 * transaction markers leave.
 */
final class TestLedger {

  static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");
  private static final ConsentEventType[] FLOW = {
    ConsentEventType.REQUESTED,
    ConsentEventType.SENT,
    ConsentEventType.DELIVERED,
    ConsentEventType.REPLY_RECEIVED,
    ConsentEventType.CONFIRMED
  };

  final CheckpointSigningKey signingKey = CheckpointSigningKey.generate();
  final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  final List<ArchivedRecord> records = new ArrayList<>();
  final Map<Integer, LedgerCheckpoint> latestCheckpoints = new LinkedHashMap<>();
  private final AvroSerializer<ConsentAuditRecord> serializer =
      new AvroSerializer<>(registry, true);
  private final Map<Integer, LedgerAppender> appenders = new LinkedHashMap<>();
  private final Map<Integer, Long> nextOffsets = new LinkedHashMap<>();
  private int events;

  /**
   * {@code partitions} partitions, {@code subjects} subjects each through the five steps, a
   * checkpoint per step.
   */
  static TestLedger of(int partitions, int subjects) {
    TestLedger ledger = new TestLedger();
    for (ConsentEventType type : FLOW) {
      for (int partition = 0; partition < partitions; partition++) {
        for (int subject = 0; subject < subjects; subject++) {
          ledger.append(partition, "subject-" + partition + "-" + subject, type);
        }
        ledger.checkpoint(partition);
      }
    }
    return ledger;
  }

  ArchivedRecord append(int partition, String subject, ConsentEventType type) {
    int n = events++;
    ConsentAuditRecord record =
        appender(partition)
            .append(
                ConsentAuditRecord.newBuilder()
                    .setEventId("event-" + n)
                    .setEventType(type)
                    .setOccurredAt(T0.plusSeconds(n))
                    .setSubjectKey(subject)
                    .setProgramId("acme-deals")
                    .setDetail(String.format("step %04d", n))
                    .setSourceTopic("optin.challenges.v1")
                    .setSourcePartition(partition)
                    .setSourceOffset((long) n)
                    .setKeyId("key-" + subject)
                    .setSealedPersonalData(
                        ByteBuffer.wrap(
                            new byte[] {1, (byte) n, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}))
                    .build());
    return add(partition, subject, record);
  }

  void checkpoint(int partition) {
    Checkpointed checkpointed = appender(partition).checkpoint(T0.plusSeconds(events++));
    if (checkpointed != null) {
      add(partition, null, checkpointed.record());
      latestCheckpoints.put(partition, checkpointed.checkpoint());
    }
  }

  List<ArchivedRecord> inPartition(int partition) {
    return records.stream().filter(r -> r.partition() == partition).toList();
  }

  /**
   * The same place, key and timestamp holding another record, serialised as the ledger's writer
   * would.
   */
  ArchivedRecord withRecord(ArchivedRecord original, ConsentAuditRecord record) {
    return new ArchivedRecord(
        original.partition(),
        original.offset(),
        original.key(),
        original.timestamp(),
        serializer.serialize(Topics.CONSENT_AUDIT.name(), record),
        original.writerSchema(),
        record);
  }

  /** The record moved to another offset. */
  static ArchivedRecord at(ArchivedRecord original, long offset) {
    return new ArchivedRecord(
        original.partition(),
        offset,
        original.key(),
        original.timestamp(),
        original.value(),
        original.writerSchema(),
        original.record());
  }

  private ArchivedRecord add(int partition, String key, ConsentAuditRecord record) {
    long offset = nextOffsets.merge(partition, 0L, (a, b) -> a + 2);
    byte[] value = serializer.serialize(Topics.CONSENT_AUDIT.name(), record);
    ArchivedRecord archived =
        new ArchivedRecord(
            partition,
            offset,
            key,
            T0.plusSeconds(events),
            value,
            registry.schemaById(LedgerValues.schemaId(value)),
            record);
    records.add(archived);
    return archived;
  }

  private LedgerAppender appender(int partition) {
    return appenders.computeIfAbsent(
        partition, p -> new LedgerAppender(p, new InMemoryChainHeads(), signingKey));
  }

  /** The verdict names the record where the chain breaks, and why. */
  static void assertBrokenAt(ArchiveVerdict verdict, ArchivedRecord record, String reason) {
    assertThat(verdict.passed()).isFalse();
    assertThat(verdict.ledger())
        .isInstanceOfSatisfying(
            ChainBreak.class,
            broken -> {
              assertThat(broken.partition()).isEqualTo(record.partition());
              assertThat(broken.offset()).isEqualTo(record.offset());
              assertThat(broken.eventId()).isEqualTo(record.record().getEventId());
              assertThat(broken.reason()).contains(reason);
            });
    assertThat(verdict.describe())
        .contains("partition " + record.partition() + " offset " + record.offset())
        .contains(record.record().getEventId());
  }
}
