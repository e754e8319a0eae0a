package io.optin.audit.ledger;

import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.LedgerCheckpoint;

/** A signed checkpoint and the in-band CHECKPOINT ledger record that carries it. */
public record Checkpointed(LedgerCheckpoint checkpoint, ConsentAuditRecord record) {}
