package io.optin.dispatcher.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.InboundSms;
import io.optin.avro.ReplyIntent;
import io.optin.avro.SourceChannel;
import io.optin.domain.status.SubscriptionStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PhoneChallengesTest {

  private static final String PHONE = "+14155550100";
  private static final String PROGRAM = "acme-deals";
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static final PhoneStanding PENDING_C2 =
      PhoneStanding.EMPTY.with(
          PROGRAM,
          ProgramChallenge.pending(
              "c-2", "s-2", T0, T0.plusSeconds(600), "en-US", SourceChannel.API, "ab", T0));

  @Test
  void shouldConfirmProgramOnConfirmedClose() {
    // When the pending challenge closes CONFIRMED
    PhoneStanding after =
        PENDING_C2.closed(closed("c-2", ChallengeOutcome.CONFIRMED, null, T0.plusSeconds(30)));

    // Then the program is confirmed by it
    assertThat(after.program(PROGRAM)).isEqualTo(ProgramChallenge.confirmed("c-2"));
  }

  @Test
  void shouldFreeProgramWhenPendingChallengeExpires() {
    // When the pending challenge closes EXPIRED
    PhoneStanding after =
        PENDING_C2.closed(
            closed("c-2", ChallengeOutcome.EXPIRED, "window passed", T0.plusSeconds(605)));

    // Then nothing is left to keep for the phone
    assertThat(after.program(PROGRAM).status()).isEqualTo(SubscriptionStatus.NONE);
    assertThat(after.isEmpty()).isTrue();
  }

  @Test
  void shouldIgnoreLateCloseOfOlderChallenge() {
    // When an older challenge c-1 closes EXPIRED after c-2 opened
    PhoneStanding after =
        PENDING_C2.closed(
            closed("c-1", ChallengeOutcome.EXPIRED, "window passed", T0.plusSeconds(5)));

    // Then c-2 stays pending
    assertThat(after).isSameAs(PENDING_C2);
  }

  @Test
  void shouldIgnoreEventsOtherThanClosed() {
    // When the dispatcher's own ISSUED event comes back on the challenges topic
    ChallengeEvent issued = closed("c-2", ChallengeOutcome.OPEN, null, T0);
    issued.setType(ChallengeEventType.ISSUED);

    // Then nothing changes
    assertThat(PENDING_C2.closed(issued)).isSameAs(PENDING_C2);
  }

  @Test
  void shouldOptOutEveryProgramOnStopAndFreeThemOnStart() {
    // Given a confirmed program and a pending one
    PhoneStanding state = PENDING_C2.with("other", ProgramChallenge.confirmed("c-0"));

    // When the phone texts STOP
    PhoneStanding stopped = state.replied(reply(ReplyIntent.STOP, T0.plusSeconds(10)));

    // Then the phone and both programs are opted out
    assertThat(stopped.optedOut()).isTrue();
    assertThat(stopped.program(PROGRAM).status()).isEqualTo(SubscriptionStatus.OPTED_OUT);
    assertThat(stopped.program("other").status()).isEqualTo(SubscriptionStatus.OPTED_OUT);

    // And when it texts START, nothing is opted out nor confirmed any more
    PhoneStanding started = stopped.replied(reply(ReplyIntent.START, T0.plusSeconds(20)));
    assertThat(started.optedOut()).isFalse();
    assertThat(started.programs()).isEmpty();
  }

  @Test
  void shouldIgnoreConfirmationOlderThanLaterStop() {
    // Given a phone that texted STOP at T0+20s
    PhoneStanding stopped = PENDING_C2.replied(reply(ReplyIntent.STOP, T0.plusSeconds(20)));

    // When a confirmation from T0+10s arrives afterwards
    PhoneStanding after =
        stopped.closed(closed("c-2", ChallengeOutcome.CONFIRMED, null, T0.plusSeconds(10)));

    // Then STOP wins: the program stays opted out
    assertThat(after.program(PROGRAM).status()).isEqualTo(SubscriptionStatus.OPTED_OUT);
  }

  @Test
  void shouldNotOptOutAgainOnCloseOlderThanLaterStart() {
    // Given STOP at T0+10s and START at T0+20s
    PhoneStanding state =
        PENDING_C2
            .replied(reply(ReplyIntent.STOP, T0.plusSeconds(10)))
            .replied(reply(ReplyIntent.START, T0.plusSeconds(20)));

    // When the reply processor's close for that STOP arrives late
    PhoneStanding after =
        state.closed(
            closed("c-2", ChallengeOutcome.REJECTED, "opted out by STOP", T0.plusSeconds(10)));

    // Then the program stays free
    assertThat(after.program(PROGRAM).status()).isEqualTo(SubscriptionStatus.NONE);
    assertThat(after.optedOut()).isFalse();
  }

  @Test
  void shouldOptOutProgramOnOptOutClose() {
    // When the pending challenge closes REJECTED because the phone opted out
    PhoneStanding after =
        PENDING_C2.closed(
            closed("c-2", ChallengeOutcome.REJECTED, "opted out by STOP", T0.plusSeconds(10)));

    // Then the program is opted out even if the STOP itself was not seen here
    assertThat(after.program(PROGRAM).status()).isEqualTo(SubscriptionStatus.OPTED_OUT);
  }

  @Test
  void shouldIgnoreHelpAndOtherReplies() {
    assertThat(PENDING_C2.replied(reply(ReplyIntent.HELP, T0))).isSameAs(PENDING_C2);
    assertThat(PENDING_C2.replied(reply(ReplyIntent.CONFIRM, T0))).isSameAs(PENDING_C2);
  }

  static ChallengeEvent closed(
      String challengeId, ChallengeOutcome outcome, String reason, Instant at) {
    return ChallengeEvent.newBuilder()
        .setChallengeId(challengeId)
        .setType(ChallengeEventType.CLOSED)
        .setSignupId("s-2")
        .setProgramId(PROGRAM)
        .setPhone(PHONE)
        .setIssuedAt(T0)
        .setExpiresAt(T0.plusSeconds(600))
        .setOutcome(outcome)
        .setReason(reason)
        .setChannel(SourceChannel.WEB_FORM)
        .setOccurredAt(at)
        .build();
  }

  static InboundSms reply(ReplyIntent intent, Instant at) {
    return InboundSms.newBuilder()
        .setMessageSid("SM" + intent.name())
        .setPhone(PHONE)
        .setIntent(intent)
        .setMaskedBody(intent.name())
        .setReceivedAt(at)
        .build();
  }
}
