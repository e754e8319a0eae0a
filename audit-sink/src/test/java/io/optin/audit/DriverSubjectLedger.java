package io.optin.audit;

import io.optin.audit.tools.SubjectLedger;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.SubjectDataKey;
import java.util.List;

/** A subject's ledger as the topology under test wrote it. */
final class DriverSubjectLedger implements SubjectLedger {

  private final AuditDriver audit;

  DriverSubjectLedger(AuditDriver audit) {
    this.audit = audit;
  }

  @Override
  public List<ConsentAuditRecord> subjectRecords(String subjectKey, String phone) {
    return audit.records().stream().filter(r -> subjectKey.equals(r.getSubjectKey())).toList();
  }

  @Override
  public SubjectDataKey dataKey(String subjectKey) {
    return audit.compactedKeys().get(subjectKey);
  }
}
