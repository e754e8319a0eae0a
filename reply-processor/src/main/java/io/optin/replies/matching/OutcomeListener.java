package io.optin.replies.matching;

/**
 * Told of each outcome the topology records, and of each confirmation, so that a webhook or code
 * entry waiting for it in this process wakes at once instead of polling the store.
 */
@FunctionalInterface
public interface OutcomeListener {

  /** Tells no one. */
  OutcomeListener NONE = id -> {};

  /**
   * The outcome of answer {@code id} was just recorded; runs on the stream thread, so it must not
   * block.
   */
  void decided(String id);

  /**
   * A challenge of {@code phone} was just closed CONFIRMED: a code attempt still queued behind the
   * one that confirmed it may now be answered as already confirmed (see {@link SettledCodes}). Runs
   * on the stream thread, so it must not block.
   */
  default void confirmed(String phone) {}
}
