package io.optin.dispatcher.challenge;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.InboundSms;
import io.optin.domain.status.SubscriptionStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where one phone stands for the dispatcher (store {@code dispatcher-phones}): whether it texted
 * STOP, and per program its status and pending challenge. Not the reply processor's {@code
 * PhoneChallenges} (open and recently closed challenges, to match answers). Immutable; every
 * transition returns a new value.
 *
 * <p>STOP and START are applied in the order they arrive (one partition per phone keeps them
 * ordered). The reply processor's CLOSED events arrive on another topic, so they may overtake or
 * trail a STOP/START: a close older (in event time) than the latest STOP or START it contradicts is
 * superseded by it and ignored.
 *
 * @param optedOut the phone texted STOP and has not texted START since
 * @param lastStopAt event time of the latest STOP, or null
 * @param lastStartAt event time of the latest START, or null
 * @param programs entries by program id, never holding a NONE entry
 */
public record PhoneStanding(
    boolean optedOut,
    Instant lastStopAt,
    Instant lastStartAt,
    Map<String, ProgramChallenge> programs) {

  /** A phone the dispatcher knows nothing about. */
  public static final PhoneStanding EMPTY = new PhoneStanding(false, null, null, Map.of());

  private static final String OPTED_OUT_REASON_PREFIX = "opted out";

  public PhoneStanding {
    programs =
        Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(programs, "programs")));
  }

  /** The entry of a program, {@link ProgramChallenge#NONE} when there is none. */
  public ProgramChallenge program(String programId) {
    return programs.getOrDefault(programId, ProgramChallenge.NONE);
  }

  /** This state with the program's entry replaced; a NONE entry removes it. */
  public PhoneStanding with(String programId, ProgramChallenge entry) {
    Map<String, ProgramChallenge> next = new TreeMap<>(programs);
    if (entry.status() == SubscriptionStatus.NONE) {
      next.remove(programId);
    } else {
      next.put(programId, entry);
    }
    return new PhoneStanding(optedOut, lastStopAt, lastStartAt, next);
  }

  /** Nothing worth keeping: the store entry can be deleted. */
  public boolean isEmpty() {
    return !optedOut && lastStopAt == null && lastStartAt == null && programs.isEmpty();
  }

  /**
   * STOP: the phone is opted out, and so is every program it had (pending challenges are closed
   * upstream).
   */
  public PhoneStanding stop(Instant at) {
    Map<String, ProgramChallenge> next = new TreeMap<>();
    programs.forEach(
        (programId, entry) -> next.put(programId, ProgramChallenge.optedOut(entry.challengeId())));
    return new PhoneStanding(true, at, lastStartAt, next);
  }

  /**
   * START: the opt-out is lifted; programs that were opted out are back to NONE, nothing is
   * confirmed.
   */
  public PhoneStanding start(Instant at) {
    Map<String, ProgramChallenge> next = new TreeMap<>(programs);
    next.values().removeIf(entry -> entry.status() == SubscriptionStatus.OPTED_OUT);
    return new PhoneStanding(false, lastStopAt, at, next);
  }

  /**
   * A reply texted by the phone: STOP and START change the opt-out, every other reply changes
   * nothing.
   */
  public PhoneStanding replied(InboundSms reply) {
    return switch (reply.getIntent()) {
      case STOP -> stop(reply.getReceivedAt());
      case START -> start(reply.getReceivedAt());
      default -> this;
    };
  }

  /**
   * A challenge event of the reply processor. Only CLOSED events change anything: CONFIRMED
   * confirms the program, REJECTED "opted out…" opts it out, any other ending frees the program for
   * a new challenge if the closed challenge is the pending one (a late close of an older challenge
   * must not cancel a newer one).
   */
  public PhoneStanding closed(ChallengeEvent event) {
    if (event.getType() != ChallengeEventType.CLOSED) {
      return this;
    }
    String programId = event.getProgramId();
    Instant at = event.getOccurredAt();
    ProgramChallenge entry = program(programId);
    if (event.getOutcome() == ChallengeOutcome.CONFIRMED && !supersededBy(lastStopAt, at)) {
      return with(programId, ProgramChallenge.confirmed(event.getChallengeId()));
    }
    if (isOptOut(event) && !supersededBy(lastStartAt, at)) {
      return with(programId, ProgramChallenge.optedOut(event.getChallengeId()));
    }
    boolean closesPending =
        entry.status() == SubscriptionStatus.PENDING
            && entry.challengeId().equals(event.getChallengeId());
    return closesPending ? with(programId, ProgramChallenge.NONE) : this;
  }

  private static boolean isOptOut(ChallengeEvent event) {
    return event.getOutcome() == ChallengeOutcome.REJECTED
        && event.getReason() != null
        && event.getReason().startsWith(OPTED_OUT_REASON_PREFIX);
  }

  private static boolean supersededBy(Instant laterChange, Instant eventTime) {
    return laterChange != null && eventTime.isBefore(laterChange);
  }
}
