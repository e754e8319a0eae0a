package io.optin.audit.ledger;

import static io.optin.audit.AuditSettings.AUDIT_CHECKPOINT_INTERVAL;
import static io.optin.audit.AuditSettings.AUDIT_CHECKPOINT_RECORDS;

import io.optin.kit.config.Settings;
import java.time.Duration;
import java.util.Objects;

/**
 * When a ledger partition's writer signs a checkpoint: every {@code interval} of wall-clock time
 * (if anything was appended since the last one), and as soon as {@code everyRecords} records were
 * appended. Records appended after the latest checkpoint are the only ones whose removal from the
 * tail a verifier cannot see.
 *
 * @param interval {@code audit.checkpoint.interval}
 * @param everyRecords {@code audit.checkpoint.records}
 */
public record CheckpointPolicy(Duration interval, long everyRecords) {

  public CheckpointPolicy {
    Objects.requireNonNull(interval, "interval");
  }

  /** The checkpoint settings among {@code settings}. */
  public static CheckpointPolicy from(Settings settings) {
    return new CheckpointPolicy(
        settings.duration(AUDIT_CHECKPOINT_INTERVAL), settings.integer(AUDIT_CHECKPOINT_RECORDS));
  }
}
