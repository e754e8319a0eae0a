package io.optin.audit.ledger;

import java.time.Duration;

/**
 * When a ledger partition's writer signs a checkpoint: every {@code interval} of wall-clock time
 * (if anything was appended since the last one), and as soon as {@code everyRecords} records were
 * appended. Records appended after the latest checkpoint are the only ones whose removal from the
 * tail a verifier cannot see.
 */
public record CheckpointPolicy(Duration interval, long everyRecords) {

  public static final CheckpointPolicy DEFAULT =
      new CheckpointPolicy(Duration.ofSeconds(30), 10_000);

  public CheckpointPolicy {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the checkpoint interval must be positive");
    }
    if (everyRecords < 1) {
      throw new IllegalArgumentException("checkpoint every 1 record or more");
    }
  }
}
