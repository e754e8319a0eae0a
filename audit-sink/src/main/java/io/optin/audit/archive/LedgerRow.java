package io.optin.audit.archive;

import io.optin.avro.ConsentAuditRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * The columns of a {@code consent_ledger} row: where the record sat, the chain fields copied out
 * for queries, the readable JSON and the exact value bytes. The columns are copies; the value bytes
 * are what the record is.
 */
final class LedgerRow {

  static final String INSERT =
      """
      INSERT INTO consent_ledger (partition, "offset", record_key, subject_key, event_id, event_type, occurred_at,
        record_timestamp, sequence, previous_hash, partition_sequence, previous_partition_hash, hash, schema_id,
        record_json, value_bytes)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?)""";

  static final String SELECT =
      """
      SELECT partition, "offset", record_key, subject_key, event_id, event_type, occurred_at, record_timestamp,
        sequence, previous_hash, partition_sequence, previous_partition_hash, hash, schema_id, record_json::text,
        value_bytes
      FROM consent_ledger ORDER BY partition, "offset\"""";

  private LedgerRow() {}

  /** Binds the parameters of {@link #INSERT} for one record. */
  static void bind(PreparedStatement insert, ArchivedRecord archived) throws SQLException {
    ConsentAuditRecord r = archived.record();
    insert.setInt(1, archived.partition());
    insert.setLong(2, archived.offset());
    insert.setString(3, archived.key());
    insert.setString(4, r.getSubjectKey());
    insert.setString(5, r.getEventId());
    insert.setString(6, r.getEventType().name());
    insert.setObject(7, utc(r.getOccurredAt()));
    insert.setObject(8, utc(archived.timestamp()));
    setLong(insert, 9, r.getSequence());
    insert.setString(10, r.getPreviousHash());
    setLong(insert, 11, r.getPartitionSequence());
    insert.setString(12, r.getPreviousPartitionHash());
    insert.setString(13, r.getHash());
    insert.setInt(14, archived.schemaId());
    insert.setString(15, RecordJson.text(r));
    insert.setBytes(16, archived.value());
  }

  /**
   * The record of the current row of {@link #SELECT}, decoded from its value bytes, after checking
   * that its JSON and every copied column agree with it.
   *
   * @throws ArchiveIntegrityException naming the row when they do not
   */
  static ArchivedRecord read(ResultSet row, java.util.function.IntFunction<Schema> schemas)
      throws SQLException {
    int partition = row.getInt(1);
    long offset = row.getLong(2);
    String eventId = row.getString(5);
    String where = "consent_ledger row (" + partition + ", " + offset + ")";
    byte[] value = row.getBytes(16);
    ConsentAuditRecord record;
    Schema writer;
    try {
      int schemaId = LedgerValues.schemaId(value);
      writer = schemas.apply(schemaId);
      if (writer == null) {
        throw new ArchiveIntegrityException(
            partition,
            offset,
            eventId,
            where,
            "archive_schemas holds no writer schema with id " + schemaId,
            null);
      }
      record = LedgerValues.decode(value, writer);
    } catch (IllegalArgumentException e) {
      throw new ArchiveIntegrityException(
          partition, offset, eventId, where, "value_bytes: " + e.getMessage(), e);
    }
    ArchivedRecord archived =
        new ArchivedRecord(
            partition,
            offset,
            row.getString(3),
            row.getObject(8, OffsetDateTime.class).toInstant(),
            value,
            writer,
            record);
    String json;
    try {
      json = row.getString(15);
      if (!RecordJson.matches(record, RecordJson.MAPPER.readTree(json))) {
        throw ArchiveIntegrityException.at(
            archived, where, "record_json does not match value_bytes");
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ArchiveIntegrityException.at(archived, where, "record_json is not JSON");
    }
    checkColumn(archived, where, "subject_key", row.getString(4), record.getSubjectKey());
    checkColumn(archived, where, "event_id", eventId, record.getEventId());
    checkColumn(archived, where, "event_type", row.getString(6), record.getEventType().name());
    checkColumn(
        archived,
        where,
        "occurred_at",
        row.getObject(7, OffsetDateTime.class).toInstant(),
        record.getOccurredAt());
    checkColumn(archived, where, "sequence", nullableLong(row, 9), record.getSequence());
    checkColumn(archived, where, "previous_hash", row.getString(10), record.getPreviousHash());
    checkColumn(
        archived,
        where,
        "partition_sequence",
        nullableLong(row, 11),
        record.getPartitionSequence());
    checkColumn(
        archived,
        where,
        "previous_partition_hash",
        row.getString(12),
        record.getPreviousPartitionHash());
    checkColumn(archived, where, "hash", row.getString(13), record.getHash());
    checkColumn(archived, where, "schema_id", row.getInt(14), archived.schemaId());
    return archived;
  }

  private static void checkColumn(
      ArchivedRecord archived, String where, String column, Object stored, Object expected) {
    if (!Objects.equals(stored, expected)) {
      throw ArchiveIntegrityException.at(
          archived,
          where,
          "column " + column + " holds " + stored + " where the record says " + expected);
    }
  }

  private static Long nullableLong(ResultSet row, int column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }

  private static void setLong(PreparedStatement statement, int index, Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
