package io.optin.audit.tools;

import io.optin.audit.crypto.DataKeys;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.PersonalData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The proof of consent of one phone, as compliance exports it: every ledger step of the subject in
 * chain order with its personal data opened (or marked erased), the outcome per program, whether
 * the subject's chain is intact, and when it was erased if it was. Rendered as JSON ({@link
 * ConsentExportJson}), text or HTML ({@link ConsentExportDocument}).
 *
 * @param phone the phone asked for, as given
 * @param erasure the subject's last erasure, null if never erased
 */
public record ConsentExport(
    String phone,
    String subjectKey,
    Instant exportedAt,
    Erasure erasure,
    SubjectIntegrity integrity,
    List<ProvenStatus> outcomes,
    List<Step> steps) {

  /** Whether the sealed personal data of a step could be read. */
  public enum PersonalState {
    /** The step recorded nothing personal. */
    NONE,
    /** Opened with the subject's data key. */
    OPEN,
    /** Its data key was destroyed: unreadable for good. */
    ERASED
  }

  /** One ledger record of the subject and its opened personal data (null unless OPEN). */
  public record Step(
      ConsentAuditRecord record, PersonalData personal, PersonalState personalState) {}

  /** When and how the subject was erased. */
  public record Erasure(Instant at, String eventId, String detail) {}

  /**
   * Builds the export from the subject's ledger records (chain order) and the data keys as they
   * stand now.
   *
   * @throws IllegalStateException when a record's data key exists but its sealed data does not open
   *     (altered)
   */
  public static ConsentExport of(
      String phone,
      String subjectKey,
      List<ConsentAuditRecord> subjectRecords,
      DataKeys keys,
      Instant now) {
    List<Step> steps = new ArrayList<>();
    Erasure erasure = null;
    for (ConsentAuditRecord record : subjectRecords) {
      if (record.getEventType() == ConsentEventType.ERASED) {
        erasure = new Erasure(record.getOccurredAt(), record.getEventId(), record.getDetail());
      }
      if (record.getSealedPersonalData() == null) {
        steps.add(new Step(record, null, PersonalState.NONE));
      } else {
        Optional<PersonalData> opened = keys.open(record);
        steps.add(
            new Step(
                record,
                opened.orElse(null),
                opened.isPresent() ? PersonalState.OPEN : PersonalState.ERASED));
      }
    }
    return new ConsentExport(
        phone,
        subjectKey,
        now,
        erasure,
        SubjectIntegrity.check(subjectRecords),
        StatusAsOf.allPrograms(subjectRecords, now),
        List.copyOf(steps));
  }

  /** Whether the ledger holds anything for this phone. */
  public boolean isEmpty() {
    return steps.isEmpty();
  }
}
