package io.optin.systemtests.audit;

import io.optin.audit.archive.ArchivedRecord;
import java.util.Base64;
import java.util.Comparator;

/**
 * A ledger record reduced to what an exact copy must keep: its place, key and value bytes (base64).
 */
record LedgerCopy(int partition, long offset, String key, String value) {

  static final Comparator<LedgerCopy> ORDER =
      Comparator.comparingInt(LedgerCopy::partition).thenComparingLong(LedgerCopy::offset);

  static LedgerCopy of(ArchivedRecord archived) {
    return new LedgerCopy(
        archived.partition(),
        archived.offset(),
        archived.key(),
        Base64.getEncoder().encodeToString(archived.value()));
  }
}
