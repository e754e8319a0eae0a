package io.optin.audit.ledger;

/**
 * The first place the ledger is not what its writer wrote.
 *
 * @param partition the ledger partition
 * @param offset offset of the offending record, or of the partition's last record for a truncated
 *     tail (-1 when the partition holds no record at all)
 * @param eventId eventId of that record, null when there is none
 * @param reason what is wrong, in words
 */
public record ChainBreak(int partition, long offset, String eventId, String reason)
    implements LedgerVerdict {

  static ChainBreak at(LedgerEntry entry, String reason) {
    return new ChainBreak(entry.partition(), entry.offset(), entry.record().getEventId(), reason);
  }

  @Override
  public boolean passed() {
    return false;
  }

  @Override
  public String describe() {
    return "ledger BROKEN at partition "
        + partition
        + " offset "
        + offset
        + (eventId == null ? "" : " event " + eventId)
        + ": "
        + reason;
  }
}
