package io.optin.replies.matching;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Wall-clock expiry: a challenge nobody answered closes EXPIRED once {@code now >= expiresAt +
 * grace}, even if no further record ever arrives for its phone. Wall clock, not stream time,
 * because an idle partition must still expire its challenges; the grace lets an in-window answer
 * still in flight win.
 */
final class ChallengeExpiry implements Punctuator {

  private static final String FIRST_KEY = String.format("%013d", 0);

  private final ReplyState state;
  private final ReplyMatcher matcher;
  private final long graceMs;

  ChallengeExpiry(ReplyState state, ReplyMatcher matcher, long graceMs) {
    this.state = state;
    this.matcher = matcher;
    this.graceMs = graceMs;
  }

  @Override
  public void punctuate(long now) {
    List<KeyValue<String, String>> due = new ArrayList<>();
    // Read first, then write: stores need not support writes under an open iterator.
    try (KeyValueIterator<String, String> it =
        state.expiryStore().range(FIRST_KEY, ReplyStores.expiryKeysUpTo(now - graceMs))) {
      it.forEachRemaining(due::add);
    }
    for (KeyValue<String, String> deadline : due) {
      String phone = deadline.value;
      Decision decision = matcher.expire(state.challenges(phone), now);
      if (!decision.closures().isEmpty()) {
        state.apply(phone, decision, now);
      }
      // The challenge may have closed since (confirmed, locked); its deadline is then stale either
      // way.
      state.expiryStore().delete(deadline.key);
    }
  }
}
