package io.optin.domain.status;

import io.optin.avro.OptInStatus;

/**
 * Where a phone stands with one program: the one status vocabulary of the services' state. The
 * symbols are those of the Avro {@link OptInStatus} of {@code optin.subscriber-status.v1}, except
 * {@code NONE} (no opt-in, nothing pending, not opted out), which has no Avro symbol: it is
 * published as a tombstone on the compacted status topic.
 *
 * <p>The reply processor, which decides statuses, keeps them all; the dispatcher keeps only {@code
 * NONE}, {@code PENDING}, {@code CONFIRMED} and {@code OPTED_OUT}, since any other ending frees the
 * program for a new challenge.
 */
public enum SubscriptionStatus {
  NONE,
  PENDING,
  CONFIRMED,
  OPTED_OUT,
  EXPIRED,
  REJECTED,
  LOCKED;

  /** The Avro status, or null for {@code NONE}. */
  public OptInStatus toAvro() {
    return this == NONE ? null : OptInStatus.valueOf(name());
  }
}
