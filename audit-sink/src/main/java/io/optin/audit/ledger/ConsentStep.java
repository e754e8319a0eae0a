package io.optin.audit.ledger;

import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.PersonalData;
import java.util.Objects;

/**
 * A consent step as derived from the flow, before the ledger seals and chains it: the record holds
 * no personal data, {@code personal} holds it in clear (it never leaves the audit task unsealed).
 */
public record ConsentStep(ConsentAuditRecord record, PersonalData personal) {

  public ConsentStep {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(personal, "personal");
  }

  public String subjectKey() {
    return record.getSubjectKey();
  }
}
