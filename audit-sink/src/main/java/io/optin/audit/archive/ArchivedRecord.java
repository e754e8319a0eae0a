package io.optin.audit.archive;

import io.optin.audit.ledger.LedgerEntry;
import io.optin.audit.ledger.LedgerVerifier;
import io.optin.avro.ConsentAuditRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One ledger record as the archive keeps it: where it sat in the topic, its key and timestamp, the
 * exact value bytes (Confluent wire format) and the record decoded from them with the writer's
 * schema.
 *
 * @param partition ledger partition
 * @param offset offset in that partition
 * @param key the record key (the subject key)
 * @param timestamp the Kafka record timestamp
 * @param value the exact value bytes as Kafka held them
 * @param writerSchema the schema the value was written with (its id is in {@code value}'s header)
 * @param record the record decoded from {@code value}
 */
public record ArchivedRecord(
    int partition,
    long offset,
    String key,
    Instant timestamp,
    byte[] value,
    Schema writerSchema,
    ConsentAuditRecord record) {

  public ArchivedRecord {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(writerSchema, "writerSchema");
    Objects.requireNonNull(record, "record");
    value = value.clone();
  }

  /** A copy of the value bytes. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The schema id in the value's Confluent header. */
  public int schemaId() {
    return LedgerValues.schemaId(value);
  }

  /** The record as the {@link LedgerVerifier} reads a ledger. */
  public LedgerEntry toLedgerEntry() {
    return new LedgerEntry(partition, offset, key, record);
  }

  /** Where the record sat, as people name it: {@code partition 2 offset 41 eventId ...}. */
  public String position() {
    return "partition " + partition + " offset " + offset + " eventId " + record.getEventId();
  }

  /**
   * Records are equal when they sat at the same place with the same key, timestamp and exact bytes.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof ArchivedRecord that
        && partition == that.partition
        && offset == that.offset
        && Objects.equals(key, that.key)
        && timestamp.equals(that.timestamp)
        && Arrays.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(partition, offset, key, timestamp, Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "ArchivedRecord[" + position() + ", " + value.length + " bytes]";
  }
}
