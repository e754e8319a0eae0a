package io.optin.replies.matching;

import io.optin.avro.ChallengeOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
 *
 * <p>A STOP is remembered the same way ({@code stoppedAt}, its event time, or null): a challenge
 * issued at or before it that is read after it was answered by it, and closes as soon as it
 * arrives.
 */
public record PhoneChallenges(
    List<OpenChallenge> open, List<ClosedChallenge> closed, List<Reply> parked, Long stoppedAt) {

  public static final PhoneChallenges EMPTY =
      new PhoneChallenges(List.of(), List.of(), List.of(), null);

  /** Answers parked per phone at most: a few in flight, not a flood; the oldest go first. */
  static final int MAX_PARKED = 8;

  public PhoneChallenges {
    open = open == null ? List.of() : List.copyOf(open);
    closed = closed == null ? List.of() : List.copyOf(closed);
    parked = parked == null ? List.of() : List.copyOf(parked);
  }

  public PhoneChallenges(List<OpenChallenge> open, List<ClosedChallenge> closed) {
    this(open, closed, List.of(), null);
  }

  public boolean nothingKnown() {
    return open.isEmpty() && closed.isEmpty() && parked.isEmpty() && stoppedAt == null;
  }

  /** Whether a STOP read before this challenge was sent after it was issued. */
  public boolean stoppedAfter(OpenChallenge challenge) {
    return stoppedAt != null && challenge.issuedAt() <= stoppedAt;
  }

  /** A STOP sent at {@code at} remembered (the latest one wins). */
  public PhoneChallenges withStop(long at) {
    long latest = stoppedAt == null ? at : Math.max(stoppedAt, at);
    return new PhoneChallenges(open, closed, parked, latest);
  }

  /** The STOP forgotten: a START sent after it opted the phone in again. */
  public PhoneChallenges withoutStopBefore(long at) {
    return stoppedAt != null && stoppedAt < at
        ? new PhoneChallenges(open, closed, parked, null)
        : this;
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
    return new PhoneChallenges(next, closed, parked, stoppedAt);
  }

  /** The challenge moved from open to closed with its outcome. */
  public PhoneChallenges withClosed(
      OpenChallenge challenge, ChallengeOutcome outcome, long closedAt) {
    List<OpenChallenge> nextOpen = new ArrayList<>(open);
    nextOpen.removeIf(c -> c.challengeId().equals(challenge.challengeId()));
    List<ClosedChallenge> nextClosed = new ArrayList<>(closed);
    nextClosed.removeIf(c -> c.challengeId().equals(challenge.challengeId()));
    nextClosed.add(challenge.closed(outcome, closedAt));
    return new PhoneChallenges(nextOpen, nextClosed, parked, stoppedAt);
  }

  /** Closed challenges forgotten once closed before {@code cutoff} (epoch ms). */
  public PhoneChallenges forgettingClosedBefore(long cutoff) {
    List<ClosedChallenge> kept = closed.stream().filter(c -> c.closedAt() >= cutoff).toList();
    return kept.size() == closed.size() ? this : new PhoneChallenges(open, kept, parked, stoppedAt);
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
    return new PhoneChallenges(open, closed, next, stoppedAt);
  }

  /** The parked answer {@code id} taken out. */
  public PhoneChallenges withoutParked(String id) {
    List<Reply> next = new ArrayList<>(parked);
    next.removeIf(r -> r.id().equals(id));
    return new PhoneChallenges(open, closed, next, stoppedAt);
  }

  /** Parked answers forgotten when given before {@code cutoff} (epoch ms). */
  public PhoneChallenges forgettingParkedBefore(long cutoff) {
    List<Reply> kept = parked.stream().filter(r -> r.at() >= cutoff).toList();
    return kept.size() == parked.size() ? this : new PhoneChallenges(open, closed, kept, stoppedAt);
  }

  /**
   * The remembered STOP forgotten when sent before {@code cutoff} (epoch ms): a challenge that late
   * is not in flight any more.
   */
  public PhoneChallenges forgettingStopBefore(long cutoff) {
    return stoppedAt != null && stoppedAt < cutoff
        ? new PhoneChallenges(open, closed, parked, null)
        : this;
  }

  /**
   * The programs a STOP sent to our number {@code toNumber} answers (scope {@code program}): those
   * with a challenge, open or recently closed, sent from that number; else the program of the most
   * recently issued challenge (the SMS on the subscriber's screen); empty when no challenge is
   * known, which means every program.
   */
  public Set<String> programsAnsweredBy(String toNumber) {
    Set<String> programs = new TreeSet<>();
    if (toNumber != null) {
      open.stream()
          .filter(c -> toNumber.equals(c.fromNumber()))
          .forEach(c -> programs.add(c.programId()));
      closed.stream()
          .filter(c -> toNumber.equals(c.fromNumber()))
          .forEach(c -> programs.add(c.programId()));
    }
    if (!programs.isEmpty()) {
      return programs;
    }
    Optional<OpenChallenge> lastOpen = latestOpen(c -> true);
    Optional<ClosedChallenge> lastClosed = latestClosed(c -> true);
    if (lastOpen.isPresent()
        && (lastClosed.isEmpty() || lastOpen.get().issuedAt() >= lastClosed.get().issuedAt())) {
      return Set.of(lastOpen.get().programId());
    }
    return lastClosed.map(c -> Set.of(c.programId())).orElse(Set.of());
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
