package io.optin.replies.matching;

import static io.optin.replies.matching.Challenges.CODES;
import static io.optin.replies.matching.Challenges.OUR_NUMBER;
import static io.optin.replies.matching.Challenges.hashOfCode;
import static io.optin.replies.matching.Challenges.hashOfWrongCode;
import static io.optin.replies.matching.Challenges.issued;
import static io.optin.replies.matching.Challenges.resent;
import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConfirmationMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplyMatcherTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant EXPIRES = T0.plus(Duration.ofMinutes(10));
  private static final long GRACE_MS = 5_000;

  private final ReplyMatcher matcher = new ReplyMatcher(CODES, 5, Duration.ofMillis(GRACE_MS));

  private PhoneChallenges with(ChallengeEvent... events) {
    PhoneChallenges state = PhoneChallenges.EMPTY;
    for (ChallengeEvent event : events) {
      state = matcher.track(state, event);
    }
    return state;
  }

  @Test
  void shouldConfirmYesAtTheLastMillisecondOfTheWindow() {
    PhoneChallenges state = with(issued("c1", "p1", T0, EXPIRES));

    Decision decision =
        matcher.decide(state, Reply.yes("SM1", OUR_NUMBER, EXPIRES.toEpochMilli() - 1));

    assertThat(decision.outcome()).contains(Outcome.CONFIRMED);
    assertThat(decision.closures())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.challenge().challengeId()).isEqualTo("c1");
              assertThat(c.outcome()).isEqualTo(ChallengeOutcome.CONFIRMED);
              assertThat(c.method()).isEqualTo(ConfirmationMethod.REPLY_YES);
              assertThat(c.at()).isEqualTo(EXPIRES.toEpochMilli() - 1);
            });
    assertThat(decision.next().open()).isEmpty();
    assertThat(decision.next().closedChallenge("c1"))
        .map(ClosedChallenge::outcome)
        .contains(ChallengeOutcome.CONFIRMED);
  }

  @Test
  void shouldAnswerExpiredAtExpiresAtAndLeaveTheClosingToTheGrace() {
    PhoneChallenges state = with(issued("c1", "p1", T0, EXPIRES));

    Decision atEnd = matcher.decide(state, Reply.yes("SM1", OUR_NUMBER, EXPIRES.toEpochMilli()));
    Decision afterGrace =
        matcher.decide(state, Reply.yes("SM2", OUR_NUMBER, EXPIRES.toEpochMilli() + GRACE_MS));

    assertThat(atEnd.outcome()).contains(Outcome.EXPIRED);
    assertThat(atEnd.closures()).isEmpty();
    assertThat(atEnd.next()).isEqualTo(state);
    assertThat(afterGrace.outcome()).contains(Outcome.EXPIRED);
    assertThat(afterGrace.closures())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.outcome()).isEqualTo(ChallengeOutcome.EXPIRED);
              assertThat(c.reason()).isEqualTo("window passed");
            });
  }

  @Test
  void shouldNotConfirmAYesReceivedBeforeTheChallengeWasIssued() {
    PhoneChallenges state = with(issued("c1", "p1", T0, EXPIRES));

    Decision decision = matcher.decide(state, Reply.yes("SM1", OUR_NUMBER, T0.toEpochMilli() - 1));

    assertThat(decision.outcome()).contains(Outcome.NO_CHALLENGE);
    assertThat(decision.closures()).isEmpty();
  }

  @Test
  void shouldConfirmTheMostRecentlyIssuedChallengeForABareYes() {
    PhoneChallenges state =
        with(
            issued("older", "p1", T0, EXPIRES),
            issued("newer", "p2", T0.plusSeconds(60), EXPIRES.plusSeconds(60)));

    Decision decision =
        matcher.decide(state, Reply.yes("SM1", OUR_NUMBER, T0.plusSeconds(120).toEpochMilli()));

    assertThat(decision.closures())
        .singleElement()
        .satisfies(c -> assertThat(c.challenge().challengeId()).isEqualTo("newer"));
    assertThat(decision.next().openChallenge("older")).isPresent();
  }

  @Test
  void shouldPreferTheChallengeSentFromTheNumberTheYesWasSentTo() {
    ChallengeEvent otherNumber =
        ChallengeEvent.newBuilder(
                issued("newer", "p2", T0.plusSeconds(60), EXPIRES.plusSeconds(60)))
            .setFromNumber("+14155550888")
            .build();
    PhoneChallenges state = with(issued("older", "p1", T0, EXPIRES), otherNumber);

    Decision decision =
        matcher.decide(state, Reply.yes("SM1", OUR_NUMBER, T0.plusSeconds(120).toEpochMilli()));

    assertThat(decision.closures())
        .singleElement()
        .satisfies(c -> assertThat(c.challenge().challengeId()).isEqualTo("older"));
  }

  @Test
  void shouldAnswerAlreadyConfirmedToASecondYes() {
    PhoneChallenges state = with(issued("c1", "p1", T0, EXPIRES));
    PhoneChallenges confirmed =
        matcher.decide(state, Reply.yes("SM1", OUR_NUMBER, T0.toEpochMilli() + 10)).next();

    Decision second =
        matcher.decide(confirmed, Reply.yes("SM2", OUR_NUMBER, T0.toEpochMilli() + 20));

    assertThat(second.outcome()).contains(Outcome.ALREADY_CONFIRMED);
    assertThat(second.closures()).isEmpty();
    assertThat(second.next()).isEqualTo(confirmed);
  }

  @Test
  void shouldConfirmTheChallengeWhoseCodeMatchesEvenIfAnotherIsMoreRecent() {
    PhoneChallenges state =
        with(
            issued("older", "p1", T0, EXPIRES),
            issued("newer", "p2", T0.plusSeconds(60), EXPIRES.plusSeconds(60)));

    Decision decision =
        matcher.decide(
            state,
            Reply.code("SM1", hashOfCode("older"), OUR_NUMBER, T0.plusSeconds(120).toEpochMilli()));

    assertThat(decision.outcome()).contains(Outcome.CONFIRMED);
    assertThat(decision.closures())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.challenge().challengeId()).isEqualTo("older");
              assertThat(c.method()).isEqualTo(ConfirmationMethod.REPLY_CODE);
            });
  }

  @Test
  void shouldCountWrongCodesOnTheMostRecentChallengeAndLockAtTheLimit() {
    PhoneChallenges state = with(issued("c1", "p1", T0, EXPIRES));
    long r = T0.toEpochMilli() + 1_000;

    StringBuilder outcomes = new StringBuilder();
    Decision last = null;
    for (int attempt = 1; attempt <= 5; attempt++) {
      last =
          matcher.decide(
              state, Reply.codeEntry("a" + attempt, "p1", hashOfWrongCode("c1"), r + attempt));
      state = last.next();
      outcomes.append(last.outcome().orElseThrow()).append(' ');
    }

    assertThat(outcomes.toString().trim())
        .isEqualTo("WRONG_CODE:4 WRONG_CODE:3 WRONG_CODE:2 WRONG_CODE:1 LOCKED");
    assertThat(last.closures())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.outcome()).isEqualTo(ChallengeOutcome.LOCKED);
              assertThat(c.challenge().failedAttempts()).isEqualTo(5);
              assertThat(c.reason()).isEqualTo("too many wrong codes (5)");
            });
    Decision rightCodeAfterLock =
        matcher.decide(state, Reply.codeEntry("a6", "p1", hashOfCode("c1"), r + 10));
    assertThat(rightCodeAfterLock.outcome()).contains(Outcome.LOCKED);
    assertThat(rightCodeAfterLock.closures()).isEmpty();
  }

  @Test
  void shouldKeepWrongCodesCountedAcrossAResend() {
    ChallengeEvent issued = issued("c1", "p1", T0, EXPIRES);
    PhoneChallenges state = with(issued);
    state =
        matcher
            .decide(
                state, Reply.codeEntry("a1", "p1", hashOfWrongCode("c1"), T0.toEpochMilli() + 1))
            .next();

    state = matcher.track(state, resent(issued, 1, T0.plusSeconds(60)));

    assertThat(state.openChallenge("c1")).map(OpenChallenge::failedAttempts).contains(1);
    assertThat(state.openChallenge("c1")).map(OpenChallenge::resendCount).contains(1);
  }

  @Test
  void shouldOnlyMatchACodeEntryAgainstChallengesOfItsProgram() {
    PhoneChallenges state = with(issued("c1", "p1", T0, EXPIRES));

    Decision decision =
        matcher.decide(
            state, Reply.codeEntry("a1", "other-program", hashOfCode("c1"), T0.toEpochMilli() + 1));

    assertThat(decision.outcome()).contains(Outcome.NO_CHALLENGE);
    assertThat(decision.next()).isEqualTo(state);
  }

  @Test
  void shouldAnswerExpiredToTheRightCodeAfterTheWindowClosedExpired() {
    PhoneChallenges state = with(issued("c1", "p1", T0, EXPIRES));
    PhoneChallenges expired = matcher.expire(state, EXPIRES.toEpochMilli() + GRACE_MS).next();

    Decision decision =
        matcher.decide(
            expired,
            Reply.codeEntry("a1", "p1", hashOfCode("c1"), EXPIRES.toEpochMilli() + 60_000));

    assertThat(decision.outcome()).contains(Outcome.EXPIRED);
    assertThat(decision.closures()).isEmpty();
  }

  @Test
  void shouldCloseEveryOpenChallengeRejectedOnStop() {
    PhoneChallenges state = with(issued("c1", "p1", T0, EXPIRES), issued("c2", "p2", T0, EXPIRES));

    Decision decision = matcher.optOut(state, T0.toEpochMilli() + 5);

    assertThat(decision.outcome()).isEmpty();
    assertThat(decision.closures())
        .extracting(c -> c.challenge().challengeId() + ":" + c.outcome() + ":" + c.reason())
        .containsExactlyInAnyOrder(
            "c1:REJECTED:opted out by STOP", "c2:REJECTED:opted out by STOP");
    assertThat(decision.next().open()).isEmpty();
  }

  @Test
  void shouldExpireOnlyChallengesWhoseGraceHasPassed() {
    PhoneChallenges state =
        with(issued("due", "p1", T0, EXPIRES), issued("later", "p2", T0, EXPIRES.plusMillis(1)));

    Decision decision = matcher.expire(state, EXPIRES.toEpochMilli() + GRACE_MS);

    assertThat(decision.closures())
        .singleElement()
        .satisfies(c -> assertThat(c.challenge().challengeId()).isEqualTo("due"));
    assertThat(decision.next().openChallenge("later")).isPresent();
  }

  @Test
  void shouldNotReopenAClosedChallengeWhenAResendArrivesLate() {
    ChallengeEvent issued = issued("c1", "p1", T0, EXPIRES);
    PhoneChallenges confirmed =
        matcher.decide(with(issued), Reply.yes("SM1", null, T0.toEpochMilli() + 1)).next();

    PhoneChallenges afterResend = matcher.track(confirmed, resent(issued, 1, T0.plusSeconds(30)));

    assertThat(afterResend).isEqualTo(confirmed);
  }

  @Test
  void shouldAnswerNoChallengeWhenThePhoneHasNone() {
    Decision decision =
        matcher.decide(PhoneChallenges.EMPTY, Reply.yes("SM1", OUR_NUMBER, T0.toEpochMilli()));

    assertThat(decision.outcome()).isEqualTo(Optional.of(Outcome.NO_CHALLENGE));
    assertThat(decision.closures()).isEmpty();
  }
}
