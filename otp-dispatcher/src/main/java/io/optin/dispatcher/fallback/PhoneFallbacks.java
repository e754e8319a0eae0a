package io.optin.dispatcher.fallback;

import io.optin.avro.DeliveryStatus;
import io.optin.avro.MessageChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The open challenges of one phone that may still fall back (store {@value
 * FallbackTopology#STORE}), and the status callbacks read before the sender's report naming their
 * sid (both are written to the delivery topic, by two writers, so either may come first).
 * Immutable.
 *
 * @param runs by challenge id
 * @param strays the latest status callbacks no run claimed yet, oldest first, at most {@value
 *     #MAX_STRAYS}
 */
public record PhoneFallbacks(Map<String, ChallengeRun> runs, List<Stray> strays) {

  static final int MAX_STRAYS = 8;

  /** A phone with nothing to watch. */
  public static final PhoneFallbacks EMPTY = new PhoneFallbacks(Map.of(), List.of());

  /** A status callback no run claimed yet. */
  public record Stray(
      String sid, MessageChannel channel, DeliveryStatus status, Integer errorCode, Instant at) {}

  public PhoneFallbacks {
    runs = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(runs, "runs")));
    strays = strays == null ? List.of() : List.copyOf(strays);
  }

  Optional<ChallengeRun> run(String challengeId) {
    return Optional.ofNullable(challengeId).map(runs::get);
  }

  /** The run whose current attempt has provider sid {@code sid}. */
  Optional<ChallengeRun> runWithSid(String sid) {
    return runs.values().stream().filter(run -> run.sids().contains(sid)).findFirst();
  }

  PhoneFallbacks with(ChallengeRun run) {
    Map<String, ChallengeRun> next = new TreeMap<>(runs);
    next.put(run.challengeId(), run);
    return new PhoneFallbacks(next, strays);
  }

  PhoneFallbacks without(String challengeId) {
    Map<String, ChallengeRun> next = new TreeMap<>(runs);
    next.remove(challengeId);
    return new PhoneFallbacks(next, strays);
  }

  PhoneFallbacks withStray(Stray stray) {
    List<Stray> next = new ArrayList<>(strays);
    next.add(stray);
    while (next.size() > MAX_STRAYS) {
      next.remove(0);
    }
    return new PhoneFallbacks(runs, next);
  }

  /** The strays of {@code sid}, oldest first, and this state without them. */
  List<Stray> straysOf(String sid) {
    return strays.stream().filter(stray -> stray.sid().equals(sid)).toList();
  }

  PhoneFallbacks withoutStraysOf(String sid) {
    return new PhoneFallbacks(
        runs, strays.stream().filter(stray -> !stray.sid().equals(sid)).toList());
  }

  /** Nothing worth keeping. */
  boolean isEmpty() {
    return runs.isEmpty();
  }
}
