package io.optin.dispatcher.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryingSmsGatewayTest {

  private static final OutgoingSms SMS =
      OutgoingSms.fromNumber("+15551230001", "+15551230002", "Hi", null);
  private static final SendResult BUSY =
      new SendResult.TransientFailure(503, 20503, "Service Unavailable");
  private static final SendResult ACCEPTED = new SendResult.Accepted("SM1", "queued");
  private static final SendResult INVALID = new SendResult.PermanentFailure(21211, "invalid 'To'");
  private static final RetryPolicy FOUR_ATTEMPTS =
      new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.5);

  /** Answers from a script, the last answer repeating; counts calls. */
  private static final class ScriptedGateway implements SmsGateway {
    private final Deque<SendResult> script;
    private SendResult last;
    int calls;

    ScriptedGateway(SendResult... answers) {
      script = new ArrayDeque<>(List.of(answers));
    }

    @Override
    public SendResult send(OutgoingSms sms) {
      calls++;
      last = script.isEmpty() ? last : script.poll();
      return last;
    }

    /** Answers from the same script: an acceptance as found, a failure as a failed lookup. */
    @Override
    public LookupResult findSent(SentMessageQuery query) {
      calls++;
      last = script.isEmpty() ? last : script.poll();
      return last instanceof SendResult.Accepted accepted
          ? new LookupResult.Found(accepted.sid(), accepted.status())
          : new LookupResult.Failed(last);
    }
  }

  private final List<Duration> sleeps = new ArrayList<>();

  @Test
  void shouldRetryTransientFailuresUntilAccepted() {
    // Given
    ScriptedGateway provider = new ScriptedGateway(BUSY, BUSY, ACCEPTED);

    // When
    SendOutcome outcome =
        new RetryingSmsGateway(provider, FOUR_ATTEMPTS, sleeps::add, () -> 0.0)
            .sendWithRetries(SMS);

    // Then
    assertThat(outcome).isEqualTo(new SendOutcome(ACCEPTED, 3));
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void shouldStopAtTheFirstPermanentFailure() {
    // Given
    ScriptedGateway provider = new ScriptedGateway(BUSY, INVALID, ACCEPTED);

    // When
    SendOutcome outcome =
        new RetryingSmsGateway(provider, FOUR_ATTEMPTS, sleeps::add, () -> 0.0)
            .sendWithRetries(SMS);

    // Then
    assertThat(outcome).isEqualTo(new SendOutcome(INVALID, 2));
    assertThat(provider.calls).isEqualTo(2);
  }

  @Test
  void shouldReturnTheLastTransientFailureWhenAttemptsRunOut() {
    // Given
    ScriptedGateway provider = new ScriptedGateway(BUSY);

    // When
    SendResult result =
        new RetryingSmsGateway(provider, FOUR_ATTEMPTS, sleeps::add, () -> 0.0).send(SMS);

    // Then
    assertThat(result).isEqualTo(BUSY);
    assertThat(provider.calls).isEqualTo(4);
    assertThat(sleeps).hasSize(3);
  }

  @Test
  void shouldStopRetryingWhenInterruptedAndKeepTheInterruptFlag() {
    // Given
    ScriptedGateway provider = new ScriptedGateway(BUSY);
    Sleeper interrupted =
        duration -> {
          throw new InterruptedException("shutting down");
        };

    // When
    SendOutcome outcome =
        new RetryingSmsGateway(provider, FOUR_ATTEMPTS, interrupted, () -> 0.0)
            .sendWithRetries(SMS);

    // Then
    try {
      assertThat(outcome).isEqualTo(new SendOutcome(BUSY, 1));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
