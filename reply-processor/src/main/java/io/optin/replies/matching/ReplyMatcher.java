package io.optin.replies.matching;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConfirmationMethod;
import io.optin.domain.otp.OtpCodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The double opt-in rules: an answer with event time {@code r} confirms challenge {@code c} iff
 * {@code c.issuedAt <= r < c.expiresAt}; a bare YES (texted, on WhatsApp, or the confirming key of
 * a call) confirms the most recently issued such challenge.
 *
 * <p>Pure: no store, no clock, no I/O. Given a phone's challenges and one answer it returns the
 * outcome, the next state and the challenges to close; the topology turns that into records.
 *
 * <p>Why the most recent challenge for a YES: a YES carries no identifier, and the SMS on the
 * subscriber's screen is the last one sent. When the reply reached one of our numbers ({@code To}),
 * challenges sent from that number are preferred, so two programs on two numbers never confirm each
 * other.
 *
 * <p>A challenge past its window is answered EXPIRED; it is closed by an answer only once {@code r
 * >= expiresAt + grace}, the same deadline the wall-clock expiry uses, so an in-window code typed
 * on a site, still in flight on another topic, can still win during the grace.
 */
public final class ReplyMatcher {

  static final String REASON_WINDOW_PASSED = "window passed";
  static final String REASON_STOP = "opted out by STOP";

  private final OtpCodes codes;
  private final int maxAttempts;
  private final long graceMs;

  public ReplyMatcher(OtpCodes codes, int maxAttempts, Duration grace) {
    this.codes = codes;
    this.maxAttempts = maxAttempts;
    this.graceMs = grace.toMillis();
  }

  /**
   * A phone's challenges after an ISSUED or RESENT event. A challenge already closed stays closed:
   * a resend racing the confirmation must not reopen it.
   */
  public PhoneChallenges track(PhoneChallenges state, ChallengeEvent event) {
    OpenChallenge announced = OpenChallenge.of(event);
    if (state.closedChallenge(announced.challengeId()).isPresent()) {
      return state;
    }
    return state.withOpen(
        state
            .openChallenge(announced.challengeId())
            .map(known -> known.refreshedBy(announced))
            .orElse(announced));
  }

  /** Matches a YES, a code reply or a code entry. */
  public Decision decide(PhoneChallenges state, Reply reply) {
    return reply.isYes() ? decideYes(state, reply) : decideCode(state, reply);
  }

  /** STOP: every open challenge closes REJECTED. */
  public Decision optOut(PhoneChallenges state, long at) {
    return optOut(state, at, Set.of());
  }

  /**
   * STOP: the open challenges of {@code programs} close REJECTED ({@code programs} empty: every
   * open challenge).
   */
  public Decision optOut(PhoneChallenges state, long at, Set<String> programs) {
    List<OpenChallenge> closing =
        state.open().stream()
            .filter(c -> programs.isEmpty() || programs.contains(c.programId()))
            .toList();
    Closing closed = closeAll(state, closing, ChallengeOutcome.REJECTED, REASON_STOP, at);
    return Decision.silent(closed.next(), closed.closures());
  }

  /**
   * A challenge read after a STOP that was sent once it was issued (see {@link
   * PhoneChallenges#stoppedAt()}): it closes REJECTED at the STOP's time.
   */
  public Decision stoppedBefore(PhoneChallenges state, OpenChallenge challenge) {
    Closing closing =
        closeAll(
            state, List.of(challenge), ChallengeOutcome.REJECTED, REASON_STOP, state.stoppedAt());
    return Decision.silent(closing.next(), closing.closures());
  }

  /** Wall-clock expiry: open challenges with {@code now >= expiresAt + grace} close EXPIRED. */
  public Decision expire(PhoneChallenges state, long now) {
    List<OpenChallenge> due =
        state.open().stream().filter(c -> now >= c.expiresAt() + graceMs).toList();
    Closing closing = closeAll(state, due, ChallengeOutcome.EXPIRED, REASON_WINDOW_PASSED, now);
    return Decision.silent(closing.next(), closing.closures());
  }

  private Decision decideYes(PhoneChallenges state, Reply reply) {
    List<OpenChallenge> inWindow =
        state.open().stream()
            .filter(c -> reply.concerns(c.programId()) && c.inWindow(reply.at()))
            .toList();
    List<OpenChallenge> sameNumber =
        inWindow.stream()
            .filter(c -> reply.toNumber() != null && reply.toNumber().equals(c.fromNumber()))
            .toList();
    Optional<OpenChallenge> target =
        (sameNumber.isEmpty() ? inWindow : sameNumber)
            .stream().max(Comparator.comparingLong(OpenChallenge::issuedAt));
    return target.map(c -> confirm(state, c, reply)).orElseGet(() -> unmatched(state, reply));
  }

  private Decision decideCode(PhoneChallenges state, Reply reply) {
    Optional<OpenChallenge> matching =
        state.latestOpen(
            c -> reply.concerns(c.programId()) && codes.matches(c.challengeId(), reply.codeHash()));
    if (matching.isPresent()) {
      OpenChallenge c = matching.get();
      if (c.inWindow(reply.at())) {
        return confirm(state, c, reply);
      }
      return c.passedAt(reply.at())
          ? expired(state, reply)
          : Decision.answered(Outcome.NO_CHALLENGE, state, List.of());
    }
    Optional<ClosedChallenge> matchingClosed =
        state.latestClosed(
            c -> reply.concerns(c.programId()) && codes.matches(c.challengeId(), reply.codeHash()));
    if (matchingClosed.isPresent()) {
      return Decision.answered(afterClosed(matchingClosed.get().outcome()), state, List.of());
    }
    return state
        .latestOpen(c -> reply.concerns(c.programId()) && c.inWindow(reply.at()))
        .map(c -> wrongCode(state, c, reply))
        .orElseGet(() -> unmatched(state, reply));
  }

  private Decision confirm(PhoneChallenges state, OpenChallenge c, Reply reply) {
    Closure closure =
        new Closure(
            c,
            ChallengeOutcome.CONFIRMED,
            confirmedReason(reply.method()),
            reply.method(),
            reply.at(),
            reply.channel());
    return Decision.answered(
        Outcome.CONFIRMED,
        state.withClosed(c, ChallengeOutcome.CONFIRMED, reply.at()),
        List.of(closure));
  }

  private Decision wrongCode(PhoneChallenges state, OpenChallenge c, Reply reply) {
    OpenChallenge counted = c.withFailedAttempt();
    if (counted.failedAttempts() >= maxAttempts) {
      Closure closure =
          new Closure(
              counted,
              ChallengeOutcome.LOCKED,
              "too many wrong codes (" + counted.failedAttempts() + ")",
              null,
              reply.at());
      return Decision.answered(
          Outcome.LOCKED,
          state.withClosed(counted, ChallengeOutcome.LOCKED, reply.at()),
          List.of(closure));
    }
    return Decision.answered(
        Outcome.wrongCode(maxAttempts - counted.failedAttempts()),
        state.withOpen(counted),
        List.of());
  }

  /**
   * Nothing in window: a passed window answers EXPIRED, else the latest closed challenge tells what
   * happened.
   */
  private Decision unmatched(PhoneChallenges state, Reply reply) {
    boolean passed =
        state.open().stream()
            .anyMatch(c -> reply.concerns(c.programId()) && c.passedAt(reply.at()));
    if (passed) {
      return expired(state, reply);
    }
    Outcome outcome =
        state
            .latestClosed(c -> reply.concerns(c.programId()))
            .map(c -> afterClosed(c.outcome()))
            .orElse(Outcome.NO_CHALLENGE);
    return Decision.answered(outcome, state, List.of());
  }

  private Decision expired(PhoneChallenges state, Reply reply) {
    List<OpenChallenge> due =
        state.open().stream()
            .filter(c -> reply.concerns(c.programId()) && reply.at() >= c.expiresAt() + graceMs)
            .toList();
    Closing closing =
        closeAll(state, due, ChallengeOutcome.EXPIRED, REASON_WINDOW_PASSED, reply.at());
    return Decision.answered(Outcome.EXPIRED, closing.next(), closing.closures());
  }

  private record Closing(PhoneChallenges next, List<Closure> closures) {}

  private static Closing closeAll(
      PhoneChallenges state,
      List<OpenChallenge> challenges,
      ChallengeOutcome outcome,
      String reason,
      long at) {
    PhoneChallenges next = state;
    List<Closure> closures = new ArrayList<>();
    for (OpenChallenge c : challenges) {
      next = next.withClosed(c, outcome, at);
      closures.add(new Closure(c, outcome, reason, null, at));
    }
    return new Closing(next, closures);
  }

  private static Outcome afterClosed(ChallengeOutcome outcome) {
    return switch (outcome) {
      case CONFIRMED -> Outcome.ALREADY_CONFIRMED;
      case EXPIRED -> Outcome.EXPIRED;
      case LOCKED -> Outcome.LOCKED;
      default -> Outcome.NO_CHALLENGE;
    };
  }

  private static String confirmedReason(ConfirmationMethod method) {
    return switch (method) {
      case REPLY_YES -> "confirmed by reply YES";
      case REPLY_CODE -> "confirmed by code reply";
      case CODE_ENTRY -> "confirmed by code entry";
      case VOICE_KEYPRESS -> "confirmed by voice keypress";
      default -> "confirmed";
    };
  }
}
