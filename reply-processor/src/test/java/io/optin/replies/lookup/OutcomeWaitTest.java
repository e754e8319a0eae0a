package io.optin.replies.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.replies.matching.Outcome;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutcomeWaitTest {

  private final Map<String, Outcome> decided = new ConcurrentHashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();
  private final OutcomeLookup lookup =
      id -> {
        lookups.incrementAndGet();
        return Optional.ofNullable(decided.get(id));
      };

  @Test
  void shouldWakeTheWaiterWhenTheTopologySignalsTheOutcomeAndForgetIt() {
    // Given a thread waiting for SM1, with a minute to spare
    OutcomeSignals signals = new OutcomeSignals();
    OutcomeWait wait = new OutcomeWait(lookup, Duration.ofMinutes(1), signals, 8);
    CompletableFuture<Optional<Outcome>> answer =
        CompletableFuture.supplyAsync(() -> wait.await("SM1"));
    await().until(() -> signals.watched() == 1);

    // When the topology records the outcome and signals it
    decided.put("SM1", Outcome.CONFIRMED);
    signals.decided("SM1");

    // Then the waiter has it long before its wait ends, and nothing is held for SM1 any more
    assertThat(answer.orTimeout(30, TimeUnit.SECONDS).join()).contains(Outcome.CONFIRMED);
    assertThat(signals.watched()).isZero();
  }

  @Test
  void shouldFindAnOutcomeDecidedWithoutASignalByLookingAgain() {
    // Given a waiter whose outcome is decided elsewhere: no signal ever comes
    OutcomeSignals signals = new OutcomeSignals();
    OutcomeWait wait = new OutcomeWait(lookup, Duration.ofMinutes(1), signals, 8);
    CompletableFuture<Optional<Outcome>> answer =
        CompletableFuture.supplyAsync(() -> wait.await("SM2"));
    await().until(() -> lookups.get() >= 1);

    // When
    decided.put("SM2", Outcome.EXPIRED);

    // Then
    assertThat(answer.orTimeout(30, TimeUnit.SECONDS).join()).contains(Outcome.EXPIRED);
  }

  @Test
  void shouldAnswerAtOnceWithWhatIsKnownWhenTooManyThreadsWaitAlready() {
    // Given one waiter allowed, and it waits for SM4
    OutcomeSignals signals = new OutcomeSignals();
    OutcomeWait wait = new OutcomeWait(lookup, Duration.ofMinutes(1), signals, 1);
    CompletableFuture<Optional<Outcome>> first =
        CompletableFuture.supplyAsync(() -> wait.await("SM4"));
    await().until(() -> signals.watched() == 1);
    decided.put("SM5", Outcome.LOCKED);

    // When two more answers come: one already decided, one not
    Optional<Outcome> known = wait.await("SM5");
    Optional<Outcome> unknown = wait.await("SM6");

    // Then they are answered at once with what the store holds, and the first still waits
    assertThat(known).contains(Outcome.LOCKED);
    assertThat(unknown).isEmpty();
    assertThat(first).isNotDone();
    decided.put("SM4", Outcome.CONFIRMED);
    signals.decided("SM4");
    assertThat(first.orTimeout(30, TimeUnit.SECONDS).join()).contains(Outcome.CONFIRMED);
  }

  @Test
  void shouldAnswerEmptyWhenNothingIsDecidedWithinTheWait() {
    // Given
    OutcomeWait wait = new OutcomeWait(lookup, Duration.ofMillis(50), new OutcomeSignals(), 8);

    // When / Then
    assertThat(wait.await("SM3")).isEmpty();
    assertThat(lookups.get()).isPositive();
  }
}
