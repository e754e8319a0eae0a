package io.optin.replies.matching;

import io.optin.avro.ChallengeOutcome;
import io.optin.domain.status.SubscriptionStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How challenge events and keywords move a phone's per-program status: issued -> PENDING, closed ->
 * its outcome, STOP -> OPTED_OUT for every program known for the phone (or those it answered, scope
 * {@code program}), START -> OPTED_OUT becomes NONE. Pure.
 *
 * <p>A closure only moves the status of its program if that status belongs to the same challenge
 * (or there is none yet), so an old challenge closing late never overwrites what a newer one
 * decided.
 */
public final class StatusBook {

  /** The statuses after a change, and the changes to publish. */
  public record Transition(PhoneStatuses next, List<StatusChange> changes) {
    public Transition {
      changes = List.copyOf(changes);
    }
  }

  static final String REASON_ISSUED = "code sent";
  static final String REASON_START = "opted in again by START";

  public Transition issued(PhoneStatuses statuses, OpenChallenge challenge, long at) {
    ProgramStatus pending =
        new ProgramStatus(SubscriptionStatus.PENDING, challenge.challengeId(), REASON_ISSUED, at);
    return change(statuses, challenge.programId(), pending);
  }

  public Transition closed(PhoneStatuses statuses, List<Closure> closures) {
    Transition result = new Transition(statuses, List.of());
    for (Closure closure : closures) {
      String programId = closure.challenge().programId();
      boolean ownsStatus =
          result
              .next()
              .of(programId)
              .map(
                  current ->
                      Objects.equals(current.challengeId(), closure.challenge().challengeId()))
              .orElse(true);
      if (ownsStatus) {
        ProgramStatus status =
            new ProgramStatus(
                statusAfter(closure.outcome()),
                closure.challenge().challengeId(),
                closure.reason(),
                closure.at());
        result = append(result, change(result.next(), programId, status));
      }
    }
    return result;
  }

  /**
   * STOP: every program known for the phone (statuses or challenges just closed) becomes OPTED_OUT.
   */
  public Transition optedOut(
      PhoneStatuses statuses, List<Closure> closures, Set<String> otherPrograms, long at) {
    return optedOut(statuses, closures, otherPrograms, at, Set.of());
  }

  /**
   * STOP limited to {@code only} (scope {@code program}); {@code only} empty: every program known
   * for the phone.
   */
  public Transition optedOut(
      PhoneStatuses statuses,
      List<Closure> closures,
      Set<String> otherPrograms,
      long at,
      Set<String> only) {
    Set<String> programs = optedOutPrograms(statuses, closures, otherPrograms, only);
    Transition result = new Transition(statuses, List.of());
    for (String programId : programs) {
      ProgramStatus current = statuses.of(programId).orElse(null);
      if (current != null && current.status() == SubscriptionStatus.OPTED_OUT) {
        continue;
      }
      String challengeId =
          closures.stream()
              .filter(c -> c.challenge().programId().equals(programId))
              .map(c -> c.challenge().challengeId())
              .findFirst()
              .orElse(current == null ? null : current.challengeId());
      ProgramStatus optedOut =
          new ProgramStatus(
              SubscriptionStatus.OPTED_OUT, challengeId, ReplyMatcher.REASON_STOP, at);
      result = append(result, change(result.next(), programId, optedOut));
    }
    return result;
  }

  /**
   * The programs a STOP limited to {@code only} ({@code only} empty: every program) opts out of,
   * sorted: every program known for the phone (statuses, {@code otherPrograms}, challenges just
   * closed) within {@code only}, those already opted out included.
   */
  public Set<String> optedOutPrograms(
      PhoneStatuses statuses, List<Closure> closures, Set<String> otherPrograms, Set<String> only) {
    Set<String> programs = new TreeSet<>(statuses.programs().keySet());
    programs.addAll(otherPrograms);
    closures.forEach(c -> programs.add(c.challenge().programId()));
    if (!only.isEmpty()) {
      programs.retainAll(only);
    }
    return programs;
  }

  /** START: opted-out programs go back to NONE; nothing is confirmed. */
  public Transition optedIn(PhoneStatuses statuses, long at) {
    Transition result = new Transition(statuses, List.of());
    for (Map.Entry<String, ProgramStatus> entry : statuses.programs().entrySet()) {
      if (entry.getValue().status() == SubscriptionStatus.OPTED_OUT) {
        ProgramStatus none =
            new ProgramStatus(
                SubscriptionStatus.NONE, entry.getValue().challengeId(), REASON_START, at);
        result = append(result, change(result.next(), entry.getKey(), none));
      }
    }
    return result;
  }

  private static SubscriptionStatus statusAfter(ChallengeOutcome outcome) {
    return switch (outcome) {
      case CONFIRMED -> SubscriptionStatus.CONFIRMED;
      case EXPIRED -> SubscriptionStatus.EXPIRED;
      case LOCKED -> SubscriptionStatus.LOCKED;
      case REJECTED -> SubscriptionStatus.OPTED_OUT;
      default -> SubscriptionStatus.NONE;
    };
  }

  private static Transition change(PhoneStatuses statuses, String programId, ProgramStatus status) {
    return new Transition(
        statuses.with(programId, status), List.of(new StatusChange(programId, status)));
  }

  private static Transition append(Transition first, Transition then) {
    List<StatusChange> changes = new ArrayList<>(first.changes());
    changes.addAll(then.changes());
    return new Transition(then.next(), changes);
  }
}
