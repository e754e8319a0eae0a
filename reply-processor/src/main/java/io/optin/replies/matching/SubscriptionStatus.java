package io.optin.replies.matching;

import io.optin.avro.OptInStatus;

/**
 * A phone's state for one program as the reply processor keeps it. {@code NONE} (no opt-in, nothing
 * pending, not opted out) has no Avro symbol: it is published as a tombstone on the compacted
 * status topic.
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
