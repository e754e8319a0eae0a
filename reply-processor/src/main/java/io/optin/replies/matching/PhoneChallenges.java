package io.optin.replies.matching;

import io.optin.avro.ChallengeOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Everything the reply processor knows about one phone's challenges: the open ones, and the
 * recently closed ones (kept for {@code closedRetention}) so late and repeated answers are told
 * what happened. Immutable.
 */
public record PhoneChallenges(List<OpenChallenge> open, List<ClosedChallenge> closed) {

  public static final PhoneChallenges EMPTY = new PhoneChallenges(List.of(), List.of());

  public PhoneChallenges {
    open = open == null ? List.of() : List.copyOf(open);
    closed = closed == null ? List.of() : List.copyOf(closed);
  }

  public boolean nothingKnown() {
    return open.isEmpty() && closed.isEmpty();
  }

  public Optional<OpenChallenge> openChallenge(String challengeId) {
    return open.stream().filter(c -> c.challengeId().equals(challengeId)).findFirst();
  }

  public Optional<ClosedChallenge> closedChallenge(String challengeId) {
    return closed.stream().filter(c -> c.challengeId().equals(challengeId)).findFirst();
  }

  /** The open challenge added, or replaced when it has the same id. */
  public PhoneChallenges withOpen(OpenChallenge challenge) {
    List<OpenChallenge> next = new ArrayList<>(open);
    next.removeIf(c -> c.challengeId().equals(challenge.challengeId()));
    next.add(challenge);
    return new PhoneChallenges(next, closed);
  }

  /** The challenge moved from open to closed with its outcome. */
  public PhoneChallenges withClosed(
      OpenChallenge challenge, ChallengeOutcome outcome, long closedAt) {
    List<OpenChallenge> nextOpen = new ArrayList<>(open);
    nextOpen.removeIf(c -> c.challengeId().equals(challenge.challengeId()));
    List<ClosedChallenge> nextClosed = new ArrayList<>(closed);
    nextClosed.removeIf(c -> c.challengeId().equals(challenge.challengeId()));
    nextClosed.add(challenge.closed(outcome, closedAt));
    return new PhoneChallenges(nextOpen, nextClosed);
  }

  /** Closed challenges forgotten once closed before {@code cutoff} (epoch ms). */
  public PhoneChallenges forgettingClosedBefore(long cutoff) {
    List<ClosedChallenge> kept = closed.stream().filter(c -> c.closedAt() >= cutoff).toList();
    return kept.size() == closed.size() ? this : new PhoneChallenges(open, kept);
  }

  /** The most recently issued open challenge that passes the filter. */
  public Optional<OpenChallenge> latestOpen(Predicate<OpenChallenge> filter) {
    return open.stream().filter(filter).max(Comparator.comparingLong(OpenChallenge::issuedAt));
  }

  /** The most recently issued closed challenge that passes the filter. */
  public Optional<ClosedChallenge> latestClosed(Predicate<ClosedChallenge> filter) {
    return closed.stream().filter(filter).max(Comparator.comparingLong(ClosedChallenge::issuedAt));
  }
}
