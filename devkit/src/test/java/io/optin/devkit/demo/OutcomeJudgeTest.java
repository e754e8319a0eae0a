package io.optin.devkit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConfirmationMethod;
import io.optin.avro.MessageChannel;
import io.optin.devkit.demo.DrivenSubscriber.Answer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutcomeJudgeTest {

  private static final DemoPlan PLAN = DemoPlan.of(DemoPath.values().length);
  private static final Instant T = Instant.parse("2025-01-01T10:00:00Z");

  @Test
  void shouldPassEachPathOnExactlyTheOutcomeItRequires() {
    assertThat(describe(DemoPath.REPLY_YES, 202, confirmed(ConfirmationMethod.REPLY_YES)))
        .isEqualTo(DemoPath.REPLY_YES.expected());
    assertThat(describe(DemoPath.REPLY_CODE, 202, confirmed(ConfirmationMethod.REPLY_CODE)))
        .isEqualTo(DemoPath.REPLY_CODE.expected());
    assertThat(describe(DemoPath.ENTER_CODE, 202, confirmed(ConfirmationMethod.CODE_ENTRY)))
        .isEqualTo(DemoPath.ENTER_CODE.expected());
    assertThat(
            describe(
                DemoPath.NO_ANSWER, 202, Observed.NOTHING.closedAs(ChallengeOutcome.EXPIRED, null)))
        .isEqualTo(DemoPath.NO_ANSWER.expected());
    assertThat(describe(DemoPath.REFUSED_AT_SIGNUP, 400, Observed.NOTHING.rejected(400)))
        .isEqualTo(DemoPath.REFUSED_AT_SIGNUP.expected());
    assertThat(
            describe(
                DemoPath.REFUSED_BY_CARRIER,
                202,
                Observed.NOTHING.smsFailed(21211).closedAs(ChallengeOutcome.EXPIRED, null)))
        .isEqualTo(DemoPath.REFUSED_BY_CARRIER.expected());
    assertThat(
            describe(
                DemoPath.LANDLINE,
                202,
                Observed.NOTHING
                    .smsFailed(30006)
                    .confirmedBy(ConfirmationMethod.VOICE_KEYPRESS)
                    .closedAs(ChallengeOutcome.CONFIRMED, "confirmed by voice keypress")))
        .isEqualTo(DemoPath.LANDLINE.expected());
  }

  @Test
  void shouldPassAFilteredSmsOnlyWhenConfirmedByAYesOnWhatsApp() {
    Observed filtered =
        Observed.NOTHING.smsFailed(30007).closedAs(ChallengeOutcome.CONFIRMED, null);

    assertThat(
            describe(
                DemoPath.WHATSAPP,
                202,
                filtered.confirmedBy(ConfirmationMethod.REPLY_YES, MessageChannel.WHATSAPP)))
        .isEqualTo(DemoPath.WHATSAPP.expected());
    assertThat(describe(DemoPath.WHATSAPP, 202, filtered.confirmedBy(ConfirmationMethod.REPLY_YES)))
        .isEqualTo("SMS failed (30007), confirmed once by YES");
  }

  @Test
  void shouldNotPassALandlineConfirmedByAnythingButAKeyPress() {
    Observed byYes =
        Observed.NOTHING
            .smsFailed(30006)
            .confirmedBy(ConfirmationMethod.REPLY_YES)
            .closedAs(ChallengeOutcome.CONFIRMED, null);

    assertThat(OutcomeJudge.describe(driven(DemoPath.LANDLINE, 202), byYes))
        .isEqualTo("SMS failed (30006), confirmed once by YES");
  }

  @Test
  void shouldPassStopOnlyWithTheOptOutAndTheRefusedNewSignup() {
    DrivenSubscriber stop = driven(DemoPath.STOP, 202);
    Observed optedOut = Observed.NOTHING.closedAs(ChallengeOutcome.REJECTED, "opted out by STOP");

    assertThat(OutcomeJudge.describe(stop, optedOut))
        .isEqualTo("closed REJECTED (opted out by STOP)");

    stop.signedUpAgain(409);
    assertThat(OutcomeJudge.matches(stop, optedOut)).isTrue();

    stop.signedUpAgain(202);
    assertThat(OutcomeJudge.describe(stop, optedOut))
        .isEqualTo("closed REJECTED (opted out by STOP), new signup 202");
  }

  @Test
  void shouldPassALateAnswerOnlyWhenItWasToldTheCodeExpired() {
    DrivenSubscriber late = driven(DemoPath.LATE_ANSWER, 202);
    Observed expired = Observed.NOTHING.closedAs(ChallengeOutcome.EXPIRED, null);

    late.replyAnswered(Answer.EXPIRED);
    assertThat(OutcomeJudge.matches(late, expired)).isTrue();

    late.replyAnswered(Answer.OTHER);
    assertThat(OutcomeJudge.describe(late, expired))
        .isEqualTo("late YES answered other, closed EXPIRED");
  }

  @Test
  void shouldNotPassASecondConfirmation() {
    Observed twice =
        confirmed(ConfirmationMethod.REPLY_YES).confirmedBy(ConfirmationMethod.REPLY_YES);

    assertThat(describe(DemoPath.REPLY_YES, 202, twice)).isEqualTo("confirmed 2 times by YES");
  }

  @Test
  void shouldNotPassAConfirmationOnAPathThatMustNotConfirm() {
    Observed confirmed = confirmed(ConfirmationMethod.REPLY_YES);

    assertThat(OutcomeJudge.matches(driven(DemoPath.NO_ANSWER, 202), confirmed)).isFalse();
    assertThat(OutcomeJudge.matches(driven(DemoPath.REFUSED_BY_CARRIER, 202), confirmed)).isFalse();
  }

  @Test
  void shouldNotPassAConfirmationWhoseChallengeDidNotCloseConfirmed() {
    Observed noClosure = Observed.NOTHING.confirmedBy(ConfirmationMethod.REPLY_YES);

    assertThat(describe(DemoPath.REPLY_YES, 202, noClosure))
        .isEqualTo("confirmed once by YES, challenge still open");
  }

  @Test
  void shouldSayWhatTheDriverCouldNotDo() {
    DrivenSubscriber yes = driven(DemoPath.REPLY_YES, 202);
    yes.failed("no SMS within the 20 s window");

    assertThat(OutcomeJudge.describe(yes, Observed.NOTHING))
        .isEqualTo("still open, driver: no SMS within the 20 s window");
  }

  @Test
  void shouldNotPassARefusedSignupWhoseRejectWasNotRecorded() {
    assertThat(describe(DemoPath.REFUSED_AT_SIGNUP, 400, Observed.NOTHING))
        .isEqualTo("400 at signup, no reject recorded");
    assertThat(describe(DemoPath.REFUSED_AT_SIGNUP, 202, Observed.NOTHING)).isEqualTo("still open");
  }

  private static Observed confirmed(ConfirmationMethod method) {
    return Observed.NOTHING.confirmedBy(method).closedAs(ChallengeOutcome.CONFIRMED, null);
  }

  private static String describe(DemoPath path, int signupStatus, Observed observed) {
    return OutcomeJudge.describe(driven(path, signupStatus), observed);
  }

  private static DrivenSubscriber driven(DemoPath path, int signupStatus) {
    DrivenSubscriber driven = new DrivenSubscriber(PLAN.on(path).get(0));
    driven.signedUp(signupStatus, T);
    return driven;
  }
}
