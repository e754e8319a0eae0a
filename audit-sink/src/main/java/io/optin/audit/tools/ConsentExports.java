package io.optin.audit.tools;

import io.optin.audit.crypto.DataKeys;
import io.optin.audit.crypto.MasterKey;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.SubjectDataKey;
import io.optin.domain.otp.SubjectKeys;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Proof of consent and past status for one phone, read from the ledger topic: the subject's
 * partition only, its data key from the key topic.
 */
public final class ConsentExports {

  private final SubjectLedger topics;
  private final SubjectKeys subjects;
  private final MasterKey master;
  private final Clock clock;

  public ConsentExports(SubjectLedger topics, SubjectKeys subjects, MasterKey master, Clock clock) {
    this.topics = topics;
    this.subjects = subjects;
    this.master = master;
    this.clock = clock;
  }

  /** The export of a phone (E.164); empty steps when the ledger holds nothing for it. */
  public ConsentExport export(String phone) throws TimeoutException {
    String subjectKey = subjects.keyFor(phone);
    List<ConsentAuditRecord> records = topics.subjectRecords(subjectKey, phone);
    SubjectDataKey wrapped = records.isEmpty() ? null : topics.dataKey(subjectKey);
    DataKeys keys = new DataKeys(master, key -> key.equals(subjectKey) ? wrapped : null);
    return ConsentExport.of(phone, subjectKey, records, keys, clock.instant());
  }

  /** The phone's status for a program at an instant, by replaying its ledger records. */
  public ProvenStatus status(String phone, String programId, Instant at) throws TimeoutException {
    return StatusAsOf.of(topics.subjectRecords(subjects.keyFor(phone), phone), programId, at);
  }
}
