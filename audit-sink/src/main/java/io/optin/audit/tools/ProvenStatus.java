package io.optin.audit.tools;

import io.optin.avro.OptInStatus;
import java.time.Instant;

/**
 * A phone's opt-in state for one program at an instant, as the ledger proves it.
 *
 * @param status UNKNOWN when the ledger holds nothing for the program by then
 * @param since event time of the step that set it (null for UNKNOWN)
 * @param eventId that step's eventId (null for UNKNOWN)
 * @param method how it was reached when the ledger says (REPLY_YES, CODE_ENTRY, REPLY_STOP...),
 *     else null
 */
public record ProvenStatus(
    String programId,
    Instant at,
    OptInStatus status,
    Instant since,
    String eventId,
    String method) {

  static ProvenStatus unknown(String programId, Instant at) {
    return new ProvenStatus(programId, at, OptInStatus.UNKNOWN, null, null, null);
  }
}
