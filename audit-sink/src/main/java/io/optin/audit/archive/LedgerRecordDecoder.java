package io.optin.audit.archive;

import io.optin.avro.ConsentAuditRecord;
import io.optin.schemas.registry.SchemaRegistryClient;
import java.time.Instant;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a raw ledger record from Kafka into an {@link ArchivedRecord}: the exact value bytes, the
 * writer schema fetched from the Schema Registry by the id in their header, and the record decoded
 * with it.
 */
final class LedgerRecordDecoder {

  private final SchemaRegistryClient registry;

  LedgerRecordDecoder(SchemaRegistryClient registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  ArchivedRecord decode(ConsumerRecord<String, byte[]> raw) {
    String where =
        "partition " + raw.partition() + " offset " + raw.offset() + " of " + raw.topic();
    if (raw.value() == null) {
      throw new IllegalStateException(where + " has no value: the ledger never holds a tombstone");
    }
    try {
      Schema writer = registry.schemaById(LedgerValues.schemaId(raw.value()));
      ConsentAuditRecord record = LedgerValues.decode(raw.value(), writer);
      return new ArchivedRecord(
          raw.partition(),
          raw.offset(),
          raw.key(),
          Instant.ofEpochMilli(raw.timestamp()),
          raw.value(),
          writer,
          record);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(where + " is not a ledger record: " + e.getMessage(), e);
    }
  }
}
