package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.ingest.IdempotentAnswers.Claim;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IdempotentAnswersTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
  private final IdempotentAnswers answers = new IdempotentAnswers(Duration.ofHours(24), 3, clock);

  @Test
  void shouldReplayAnAcceptedAnswerUntilItsTtlEnds() {
    Claim.Fresh first = (Claim.Fresh) answers.claim("acme", "k1");
    SignupAnswer accepted = SignupAnswer.pending("signup-1");
    answers.complete(first, accepted);

    clock.advance(Duration.ofHours(24).minusMillis(1));
    Claim within = answers.claim("acme", "k1");
    clock.advance(Duration.ofMillis(1));
    Claim after = answers.claim("acme", "k1");

    assertThat(within).isEqualTo(new Claim.Replay(accepted));
    assertThat(after).isInstanceOf(Claim.Fresh.class);
  }

  @Test
  void shouldAnswerBusyWhileTheFirstRequestIsInFlight() {
    answers.claim("acme", "k1");

    assertThat(answers.claim("acme", "k1")).isEqualTo(Claim.BUSY);
  }

  @Test
  void shouldForgetRefusedOrFailedAttemptsSoTheyCanBeRetried() {
    Claim.Fresh first = (Claim.Fresh) answers.claim("acme", "k1");
    answers.complete(
        first, SignupAnswer.error(503, "the signup could not be recorded; retry later", null));

    assertThat(answers.claim("acme", "k1")).isInstanceOf(Claim.Fresh.class);
  }

  @Test
  void shouldScopeKeysPerProgram() {
    answers.complete((Claim.Fresh) answers.claim("acme", "k1"), SignupAnswer.pending("signup-1"));

    assertThat(answers.claim("other", "k1")).isInstanceOf(Claim.Fresh.class);
  }

  @Test
  void shouldKeepAtMostMaxKeysDroppingTheOldestAnswers() {
    for (int i = 0; i < 5; i++) {
      answers.complete(
          (Claim.Fresh) answers.claim("acme", "k" + i), SignupAnswer.pending("signup-" + i));
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(answers.size()).isEqualTo(3);
    assertThat(answers.claim("acme", "k4")).isInstanceOf(Claim.Replay.class);
    assertThat(answers.claim("acme", "k0")).isInstanceOf(Claim.Fresh.class);
  }
}
