package io.optin.replies.matching;

import io.optin.avro.ChallengeOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Everything the reply processor knows about one phone's challenges: the open ones, the recently
 * closed ones (kept for {@code closedRetention}) so late and repeated answers are told what
 * happened, and the answers parked because no challenge matched them yet. Immutable.
 *
 * <p>An answer is parked because the processor may read it before the challenge it answers: the
 * challenge and the answer come from different topics, and nothing orders the two partitions (a
 * reply processor catching up after a restart, a rebalance or a backlog). When a challenge arrives,
 * the parked answers are matched again at their own event time.
 */
public record PhoneChallenges(
    List<OpenChallenge> open, List<ClosedChallenge> closed, List<Reply> parked) {

  public static final PhoneChallenges EMPTY = new PhoneChallenges(List.of(), List.of(), List.of());

  /** Answers parked per phone at most: a few in flight, not a flood; the oldest go first. */
  static final int MAX_PARKED = 8;

  public PhoneChallenges {
    open = open == null ? List.of() : List.copyOf(open);
    closed = closed == null ? List.of() : List.copyOf(closed);
    parked = parked == null ? List.of() : List.copyOf(parked);
  }

  public PhoneChallenges(List<OpenChallenge> open, List<ClosedChallenge> closed) {
    this(open, closed, List.of());
  }

  public boolean nothingKnown() {
    return open.isEmpty() && closed.isEmpty() && parked.isEmpty();
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
    return new PhoneChallenges(next, closed, parked);
  }

  /** The challenge moved from open to closed with its outcome. */
  public PhoneChallenges withClosed(
      OpenChallenge challenge, ChallengeOutcome outcome, long closedAt) {
    List<OpenChallenge> nextOpen = new ArrayList<>(open);
    nextOpen.removeIf(c -> c.challengeId().equals(challenge.challengeId()));
    List<ClosedChallenge> nextClosed = new ArrayList<>(closed);
    nextClosed.removeIf(c -> c.challengeId().equals(challenge.challengeId()));
    nextClosed.add(challenge.closed(outcome, closedAt));
    return new PhoneChallenges(nextOpen, nextClosed, parked);
  }

  /** Closed challenges forgotten once closed before {@code cutoff} (epoch ms). */
  public PhoneChallenges forgettingClosedBefore(long cutoff) {
    List<ClosedChallenge> kept = closed.stream().filter(c -> c.closedAt() >= cutoff).toList();
    return kept.size() == closed.size() ? this : new PhoneChallenges(open, kept, parked);
  }

  /** The answer parked (the oldest dropped beyond {@link #MAX_PARKED}). */
  public PhoneChallenges withParked(Reply reply) {
    List<Reply> next = new ArrayList<>(parked);
    next.removeIf(r -> r.id().equals(reply.id()));
    next.add(reply);
    next.sort(Comparator.comparingLong(Reply::at));
    while (next.size() > MAX_PARKED) {
      next.remove(0);
    }
    return new PhoneChallenges(open, closed, next);
  }

  /** The parked answer {@code id} taken out. */
  public PhoneChallenges withoutParked(String id) {
    List<Reply> next = new ArrayList<>(parked);
    next.removeIf(r -> r.id().equals(id));
    return new PhoneChallenges(open, closed, next);
  }

  /** Parked answers forgotten when given before {@code cutoff} (epoch ms). */
  public PhoneChallenges forgettingParkedBefore(long cutoff) {
    List<Reply> kept = parked.stream().filter(r -> r.at() >= cutoff).toList();
    return kept.size() == parked.size() ? this : new PhoneChallenges(open, closed, kept);
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
