package io.optin.audit.ledger;

import io.optin.avro.ConsentAuditRecord;
import java.util.Objects;

/**
 * One record of the ledger where it was read: its partition, offset and Kafka key (the subjectKey,
 * null for a checkpoint). Whatever holds the ledger (the topic, the archive files, the database)
 * yields these, in offset order per partition, for the {@link LedgerVerifier}.
 */
public record LedgerEntry(int partition, long offset, String key, ConsentAuditRecord record) {

  public LedgerEntry {
    Objects.requireNonNull(record, "record");
  }

  /** "partition 3 offset 1041 event 5f0c…", for messages naming a record. */
  public String position() {
    return "partition " + partition + " offset " + offset + " event " + record.getEventId();
  }
}
