package io.optin.audit.tools;

import io.optin.audit.ledger.LedgerEntry;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.LedgerCheckpoint;
import io.optin.avro.SubjectDataKey;
import io.optin.kit.kafka.TopicReader;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * What the tools read from Kafka: the ledger (whole, or one subject's partition), the latest signed
 * checkpoints, and the subjects' wrapped data keys, each a snapshot up to the last committed
 * record.
 */
public final class LedgerTopics implements SubjectLedger {

  private final TopicReader reader;
  private final Deserializer<ConsentAuditRecord> records;
  private final Deserializer<LedgerCheckpoint> checkpoints;
  private final Deserializer<SubjectDataKey> keys;

  /**
   * @param kafkaClientSettings consumer settings, e.g. {@code bootstrap.servers} and security
   *     settings
   * @param timeout for each snapshot read
   */
  public LedgerTopics(Map<String, ?> kafkaClientSettings, AvroSerdes serdes, Duration timeout) {
    this.reader = new TopicReader(kafkaClientSettings, timeout);
    this.records = serdes.forTopic(Topics.CONSENT_AUDIT).deserializer();
    this.checkpoints = serdes.forTopic(Topics.CONSENT_CHECKPOINTS).deserializer();
    this.keys = serdes.forTopic(Topics.CONSENT_KEYS).deserializer();
  }

  /** Every ledger record, raw, in offset order within each partition (partitions interleave). */
  public void forEachRaw(Consumer<ConsumerRecord<String, byte[]>> each) throws TimeoutException {
    reader.read(Topics.CONSENT_AUDIT.name(), null, each);
  }

  /** Decodes a raw ledger record. */
  public LedgerEntry decode(ConsumerRecord<String, byte[]> raw) {
    return new LedgerEntry(
        raw.partition(), raw.offset(), raw.key(), records.deserialize(raw.topic(), raw.value()));
  }

  /** One subject's records in chain order, from the ledger partition of its phone. */
  @Override
  public List<ConsentAuditRecord> subjectRecords(String subjectKey, String phone)
      throws TimeoutException {
    List<ConsentAuditRecord> found = new ArrayList<>();
    reader.read(
        Topics.CONSENT_AUDIT.name(),
        Set.of(ledgerPartitionOf(phone)),
        raw -> {
          if (subjectKey.equals(raw.key())) {
            found.add(records.deserialize(raw.topic(), raw.value()));
          }
        });
    return found;
  }

  /** The latest checkpoint of each partition, from the compacted checkpoint topic. */
  public List<LedgerCheckpoint> latestCheckpoints() throws TimeoutException {
    Map<Integer, LedgerCheckpoint> latest = new TreeMap<>();
    reader.read(
        Topics.CONSENT_CHECKPOINTS.name(),
        null,
        raw -> {
          if (raw.value() != null) {
            LedgerCheckpoint checkpoint = checkpoints.deserialize(raw.topic(), raw.value());
            latest.merge(
                checkpoint.getPartition(),
                checkpoint,
                (a, b) -> a.getPartitionSequence() >= b.getPartitionSequence() ? a : b);
          }
        });
    return List.copyOf(latest.values());
  }

  /**
   * A subject's wrapped data key as the key topic holds it now, null when it has none (or was
   * erased).
   */
  @Override
  public SubjectDataKey dataKey(String subjectKey) throws TimeoutException {
    int partitions = reader.partitions(Topics.CONSENT_KEYS.name());
    Map<String, SubjectDataKey> latest = new HashMap<>();
    reader.read(
        Topics.CONSENT_KEYS.name(),
        Set.of(partitionOf(subjectKey, partitions)),
        raw -> {
          if (subjectKey.equals(raw.key())) {
            latest.put(
                subjectKey,
                raw.value() == null ? null : keys.deserialize(raw.topic(), raw.value()));
          }
        });
    return latest.get(subjectKey);
  }

  /**
   * The ledger partition (= the flow topics' partition) of a phone: Kafka's default partitioning of
   * its key.
   */
  public int ledgerPartitionOf(String phone) {
    int partitions = reader.partitions(Topics.CONSENT_AUDIT.name());
    if (partitions == 0) {
      throw new IllegalStateException(Topics.CONSENT_AUDIT.name() + " does not exist");
    }
    return partitionOf(phone, partitions);
  }

  /** Partitions of the erasure topic, which must be co-partitioned with the flow. */
  int partitions(String topic) {
    return reader.partitions(topic);
  }

  static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
