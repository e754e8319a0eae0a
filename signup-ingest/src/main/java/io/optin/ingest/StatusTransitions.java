package io.optin.ingest;

import io.optin.avro.SubscriberStatus;

/**
 * Told of every record of {@code optin.subscriber-status.v1} the {@link SubscriberStatusFollower}
 * applies, in topic order per partition: each is one transition of a phone's status for a program
 * (the reply processor publishes only changes). Called on the follower's thread; must not block.
 */
@FunctionalInterface
public interface StatusTransitions {

  /** Wants none. */
  StatusTransitions NONE = status -> {};

  void onStatus(SubscriberStatus status);
}
