package io.optin.dispatcher.challenge;

import static io.optin.dispatcher.challenge.Signups.signup;
import static io.optin.dispatcher.challenge.Signups.signupId;
import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.SignupRequested;
import io.optin.avro.SmsKind;
import io.optin.avro.SmsSendRequested;
import io.optin.avro.SourceChannel;
import io.optin.domain.status.SubscriptionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ChallengeDeciderTest {

  private static final String PHONE = "+14155550100";
  private static final String PROGRAM = "acme-deals";
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final ChallengeTopologyConfig CONFIG =
      new ChallengeTopologyConfig(
          Duration.ofMinutes(10), Duration.ofSeconds(60), 2, "+15005550006", null);

  private final AtomicInteger counter = new AtomicInteger();
  private final Supplier<String> ids = () -> "id-" + counter.incrementAndGet();
  private final ChallengeDecider decider = new ChallengeDecider(CONFIG, ids);

  @Test
  void shouldIssueChallengeAndCommandOnFirstSignup() {
    // Given a phone the dispatcher has never seen
    SignupRequested signup = signup(signupId(1), PROGRAM, PHONE, T0);

    // When it signs up
    SignupDecision decision = decider.decide(PhoneStanding.EMPTY, signup);

    // Then a challenge opens for 10 minutes and its code is to be texted
    ChallengeEvent issued = decision.event();
    assertThat(issued.getType()).isEqualTo(ChallengeEventType.ISSUED);
    assertThat(issued.getChallengeId()).isEqualTo("id-1");
    assertThat(issued.getSignupId()).isEqualTo(signupId(1));
    assertThat(issued.getFromNumber()).isEqualTo("+15005550006");
    assertThat(issued.getIssuedAt()).isEqualTo(T0);
    assertThat(issued.getExpiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    assertThat(issued.getOutcome()).isEqualTo(ChallengeOutcome.OPEN);
    assertThat(issued.getChannel()).isEqualTo(SourceChannel.WEB_FORM);
    assertThat(issued.getLocale()).isEqualTo("en-US");
    assertThat(issued.getConsentTextSha256())
        .isEqualTo(signup.getEvidence().getConsentTextSha256());
    SmsSendRequested command = decision.sms().orElseThrow();
    assertThat(command.getCommandId()).isEqualTo("id-2");
    assertThat(command.getKind()).isEqualTo(SmsKind.CONFIRMATION_CODE);
    assertThat(command.getChallengeId()).isEqualTo("id-1");
    assertThat(command.getExpiresAt()).isEqualTo(issued.getExpiresAt());
    assertThat(command.getRequestedAt()).isEqualTo(T0);
    assertThat(decision.state().program(PROGRAM).status()).isEqualTo(SubscriptionStatus.PENDING);
  }

  @Test
  void shouldSuppressSignupWithinResendCooldown() {
    // Given a challenge issued at T0
    PhoneStanding state =
        decider.decide(PhoneStanding.EMPTY, signup(signupId(1), PROGRAM, PHONE, T0)).state();

    // When the same phone signs up again 59 s later
    SignupDecision decision =
        decider.decide(state, signup(signupId(2), PROGRAM, PHONE, T0.plusSeconds(59)));

    // Then nothing is sent and the state is unchanged
    assertThat(decision.event().getType()).isEqualTo(ChallengeEventType.SUPPRESSED);
    assertThat(decision.event().getReason()).isEqualTo(ChallengeDecider.RESEND_COOLDOWN);
    assertThat(decision.event().getChallengeId()).isEqualTo("id-1");
    assertThat(decision.event().getSignupId()).isEqualTo(signupId(2));
    assertThat(decision.sms()).isEmpty();
    assertThat(decision.state()).isEqualTo(state);
  }

  @Test
  void shouldResendSameChallengeOnceCooldownPassed() {
    // Given a challenge issued at T0
    PhoneStanding state =
        decider.decide(PhoneStanding.EMPTY, signup(signupId(1), PROGRAM, PHONE, T0)).state();

    // When the phone signs up again exactly one cooldown later
    SignupDecision decision =
        decider.decide(state, signup(signupId(2), PROGRAM, PHONE, T0.plusSeconds(60)));

    // Then the same challenge (same code, same window) is sent again under a new command id
    assertThat(decision.event().getType()).isEqualTo(ChallengeEventType.RESENT);
    assertThat(decision.event().getChallengeId()).isEqualTo("id-1");
    assertThat(decision.event().getSignupId()).isEqualTo(signupId(1));
    assertThat(decision.event().getResendCount()).isEqualTo(1);
    assertThat(decision.event().getExpiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    assertThat(decision.event().getOccurredAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(decision.sms().orElseThrow().getCommandId()).isEqualTo("id-3");
    assertThat(decision.sms().orElseThrow().getChallengeId()).isEqualTo("id-1");
    assertThat(decision.state().program(PROGRAM).lastSentAt()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void shouldSuppressOnceResendLimitReached() {
    // Given a challenge already sent again twice (the limit)
    PhoneStanding state =
        decider.decide(PhoneStanding.EMPTY, signup(signupId(1), PROGRAM, PHONE, T0)).state();
    state = decider.decide(state, signup(signupId(2), PROGRAM, PHONE, T0.plusSeconds(60))).state();
    state = decider.decide(state, signup(signupId(3), PROGRAM, PHONE, T0.plusSeconds(120))).state();

    // When the phone asks once more, long after the cooldown
    SignupDecision decision =
        decider.decide(state, signup(signupId(4), PROGRAM, PHONE, T0.plusSeconds(300)));

    // Then it is suppressed for the limit, not the cooldown
    assertThat(decision.event().getType()).isEqualTo(ChallengeEventType.SUPPRESSED);
    assertThat(decision.event().getReason()).isEqualTo(ChallengeDecider.RESEND_LIMIT);
    assertThat(decision.event().getResendCount()).isEqualTo(2);
    assertThat(decision.sms()).isEmpty();
  }

  @Test
  void shouldOpenNewChallengeOnceWindowPassedEvenWithoutClose() {
    // Given a challenge whose window ended (the reply processor has not closed it yet)
    PhoneStanding state =
        decider.decide(PhoneStanding.EMPTY, signup(signupId(1), PROGRAM, PHONE, T0)).state();

    // When the phone signs up at the exclusive end of the window
    SignupDecision decision =
        decider.decide(state, signup(signupId(2), PROGRAM, PHONE, T0.plus(Duration.ofMinutes(10))));

    // Then a new challenge opens with a new code
    assertThat(decision.event().getType()).isEqualTo(ChallengeEventType.ISSUED);
    assertThat(decision.event().getChallengeId()).isEqualTo("id-3");
    assertThat(decision.sms()).isPresent();
  }

  @Test
  void shouldSuppressAlreadySubscribedPhone() {
    // Given a program confirmed by challenge c-9
    PhoneStanding state = PhoneStanding.EMPTY.with(PROGRAM, ProgramChallenge.confirmed("c-9"));

    // When the phone signs up again
    SignupDecision decision = decider.decide(state, signup(signupId(2), PROGRAM, PHONE, T0));

    // Then nothing is sent
    assertThat(decision.event().getType()).isEqualTo(ChallengeEventType.SUPPRESSED);
    assertThat(decision.event().getReason()).isEqualTo(ChallengeDecider.ALREADY_SUBSCRIBED);
    assertThat(decision.event().getChallengeId()).isEqualTo("c-9");
    assertThat(decision.event().getOutcome()).isEqualTo(ChallengeOutcome.CONFIRMED);
    assertThat(decision.sms()).isEmpty();
  }

  @Test
  void shouldSuppressEveryProgramOfOptedOutPhone() {
    // Given a phone that texted STOP and never signed up to this program
    PhoneStanding state = PhoneStanding.EMPTY.stop(T0);

    // When it signs up to the program
    SignupDecision decision =
        decider.decide(state, signup(signupId(2), PROGRAM, PHONE, T0.plusSeconds(5)));

    // Then it is suppressed under a fresh id, with the signup's instant as its (empty) window
    assertThat(decision.event().getType()).isEqualTo(ChallengeEventType.SUPPRESSED);
    assertThat(decision.event().getReason()).isEqualTo(ChallengeDecider.OPTED_OUT);
    assertThat(decision.event().getChallengeId()).isEqualTo("id-1");
    assertThat(decision.event().getIssuedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(decision.event().getExpiresAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(decision.sms()).isEmpty();
  }

  @Test
  void shouldIssueAgainAfterStartLiftsOptOut() {
    // Given a confirmed subscriber who texted STOP, then START
    PhoneStanding state =
        PhoneStanding.EMPTY
            .with(PROGRAM, ProgramChallenge.confirmed("c-9"))
            .stop(T0)
            .start(T0.plusSeconds(10));

    // When they sign up again
    SignupDecision decision =
        decider.decide(state, signup(signupId(2), PROGRAM, PHONE, T0.plusSeconds(20)));

    // Then START confirmed nothing: a new double opt-in starts
    assertThat(decision.event().getType()).isEqualTo(ChallengeEventType.ISSUED);
    assertThat(decision.sms()).isPresent();
  }

  @Test
  void shouldNameMessagingServiceWhenNoNumberIsConfigured() {
    // Given a dispatcher sending through a messaging service
    String service = "MG" + "0".repeat(32);
    ChallengeDecider viaService =
        new ChallengeDecider(
            new ChallengeTopologyConfig(Duration.ofMinutes(5), Duration.ZERO, 0, null, service),
            ids);

    // When a phone signs up
    SignupDecision decision =
        viaService.decide(PhoneStanding.EMPTY, signup(signupId(1), PROGRAM, PHONE, T0));

    // Then the challenge names the service and the command leaves the number to the sender
    assertThat(decision.event().getFromNumber()).isEqualTo(service);
    assertThat(decision.event().getExpiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(decision.sms().orElseThrow().getFromNumber()).isNull();
  }
}
