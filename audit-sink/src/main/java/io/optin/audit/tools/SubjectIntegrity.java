package io.optin.audit.tools;

import io.optin.audit.ledger.LedgerHashing;
import io.optin.avro.ConsentAuditRecord;
import java.util.List;
import java.util.Objects;

/**
 * Whether one subject's chain is whole: sequences 0, 1, 2... each linking to the previous record's
 * hash, each hash recomputing from its record. Catches an altered, removed, inserted or reordered
 * record of this subject; only the full verification (with checkpoints) also proves nothing was cut
 * from the tail.
 *
 * @param problem null when intact, else what breaks at which sequence
 */
public record SubjectIntegrity(boolean intact, long records, String headHash, String problem) {

  public static SubjectIntegrity check(List<ConsentAuditRecord> chain) {
    String previous = null;
    for (int i = 0; i < chain.size(); i++) {
      ConsentAuditRecord r = chain.get(i);
      String problem = null;
      if (r.getSequence() == null || r.getSequence() != i) {
        problem = "sequence " + r.getSequence() + " where " + i + " was expected";
      } else if (!Objects.equals(r.getPreviousHash(), previous)) {
        problem = "previousHash does not link to sequence " + (i - 1);
      } else if (!LedgerHashing.hash(r).equals(r.getHash())) {
        problem = "hash does not match the content of sequence " + i;
      }
      if (problem != null) {
        return new SubjectIntegrity(
            false, chain.size(), null, problem + " (event " + r.getEventId() + ")");
      }
      previous = r.getHash();
    }
    return new SubjectIntegrity(true, chain.size(), previous, null);
  }
}
