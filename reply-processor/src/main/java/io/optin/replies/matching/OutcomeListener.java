package io.optin.replies.matching;

/**
 * Told of each outcome the topology records, so that a webhook waiting for it in this process wakes
 * at once instead of polling the store.
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
}
