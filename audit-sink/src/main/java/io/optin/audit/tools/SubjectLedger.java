package io.optin.audit.tools;

import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.SubjectDataKey;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * One subject's view of the ledger: its records in chain order, and its wrapped data key if it
 * still has one.
 */
public interface SubjectLedger {

  List<ConsentAuditRecord> subjectRecords(String subjectKey, String phone) throws TimeoutException;

  /** Null when the subject has no key: never had one, or erased. */
  SubjectDataKey dataKey(String subjectKey) throws TimeoutException;
}
