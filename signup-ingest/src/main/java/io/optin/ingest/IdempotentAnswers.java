package io.optin.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * First answers to signups by idempotency key (scoped per program), so a repeated key gets the same
 * answer and publishes nothing new.
 *
 * <p>Only accepted signups (202) are remembered: a refused or failed attempt may be corrected and
 * retried under the same key. Answers are kept for {@code ttl} (24 h by default) and at most {@code
 * maxKeys} of them, in memory, per instance: a key repeated on another instance publishes a second
 * signup, which is harmless because the dispatcher never opens a second challenge for an open one.
 */
public final class IdempotentAnswers {

  private final Duration ttl;
  private final int maxKeys;
  private final Clock clock;

  /** Insertion order is time order: completed answers are re-inserted at the tail. */
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

  public IdempotentAnswers(Duration ttl, int maxKeys, Clock clock) {
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.maxKeys = maxKeys;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Claims a key: the first answer if one is remembered, busy if a request with it is in flight,
   * else fresh.
   */
  public synchronized Claim claim(String programId, String key) {
    Instant now = clock.instant();
    expire(now);
    String scoped = programId + '\u0000' + key;
    Entry entry = entries.get(scoped);
    if (entry == null) {
      entries.put(scoped, new Entry(null, now));
      evictOverflow();
      return new Claim.Fresh(scoped);
    }
    return entry.answer == null ? Claim.BUSY : new Claim.Replay(entry.answer);
  }

  /**
   * Remembers the answer of a fresh claim when it is an accepted signup; forgets the claim
   * otherwise.
   */
  public synchronized void complete(Claim.Fresh claim, SignupAnswer answer) {
    entries.remove(claim.scopedKey());
    if (answer.status() == 202) {
      entries.put(claim.scopedKey(), new Entry(answer, clock.instant()));
    }
  }

  /** Keys remembered or in flight. */
  synchronized int size() {
    return entries.size();
  }

  private void expire(Instant now) {
    Iterator<Entry> oldest = entries.values().iterator();
    while (oldest.hasNext()) {
      Entry entry = oldest.next();
      // In-flight claims are never expired: their request still owns them and will complete them.
      if (entry.answer != null && !entry.at.plus(ttl).isAfter(now)) {
        oldest.remove();
      } else if (entry.answer != null) {
        return;
      }
    }
  }

  private void evictOverflow() {
    Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
    while (entries.size() > maxKeys && oldest.hasNext()) {
      if (oldest.next().getValue().answer != null) {
        oldest.remove();
      }
    }
  }

  private record Entry(SignupAnswer answer, Instant at) {}

  /** The outcome of {@link #claim}. */
  public sealed interface Claim {
    Claim BUSY = new Busy();

    /** Nobody used the key yet: go on, then {@link #complete} the claim. */
    record Fresh(String scopedKey) implements Claim {}

    /** The key was used: answer this again, publish nothing. */
    record Replay(SignupAnswer answer) implements Claim {}

    /** A request with the same key is being processed right now. */
    record Busy() implements Claim {}
  }
}
