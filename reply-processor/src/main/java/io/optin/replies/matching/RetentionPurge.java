package io.optin.replies.matching;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the stores bounded by wall clock: processed ids are forgotten after {@code
 * dedupeRetention}, outcomes after {@code outcomeRetention}, closed challenges after {@code
 * closedRetention}, answers parked without a challenge and a STOP read before its challenge after
 * {@link ReplyTopologyConfig#PARKED_RETENTION}. Each pass scans the stores once; at the default
 * one-minute interval that costs little next to the retained volume (see docs/semantics.md).
 */
final class RetentionPurge implements Punctuator {

  private final ReplyState state;
  private final ReplyTopologyConfig config;

  RetentionPurge(ReplyState state, ReplyTopologyConfig config) {
    this.state = state;
    this.config = config;
  }

  @Override
  public void punctuate(long now) {
    purge(state.dedupeStore(), seenAt -> seenAt, now - config.dedupeRetention().toMillis());
    purge(
        state.outcomeStore(), OutcomeEntry::decidedAt, now - config.outcomeRetention().toMillis());
    forgetClosedChallenges(
        now - config.closedRetention().toMillis(),
        now - ReplyTopologyConfig.PARKED_RETENTION.toMillis());
  }

  private static <V> void purge(
      KeyValueStore<String, V> store, ToLongFunction<V> time, long cutoff) {
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, V> it = store.all()) {
      it.forEachRemaining(
          entry -> {
            if (time.applyAsLong(entry.value) < cutoff) {
              expired.add(entry.key);
            }
          });
    }
    expired.forEach(store::delete);
  }

  private void forgetClosedChallenges(long cutoff, long parkedCutoff) {
    List<KeyValue<String, PhoneChallenges>> changed = new ArrayList<>();
    try (KeyValueIterator<String, PhoneChallenges> it = state.challengeStore().all()) {
      it.forEachRemaining(
          entry -> {
            PhoneChallenges kept =
                entry
                    .value
                    .forgettingClosedBefore(cutoff)
                    .forgettingParkedBefore(parkedCutoff)
                    .forgettingStopBefore(parkedCutoff);
            if (kept != entry.value) {
              changed.add(KeyValue.pair(entry.key, kept));
            }
          });
    }
    for (KeyValue<String, PhoneChallenges> entry : changed) {
      if (entry.value.nothingKnown()) {
        state.challengeStore().delete(entry.key);
      } else {
        state.challengeStore().put(entry.key, entry.value);
      }
    }
  }
}
