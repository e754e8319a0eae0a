package io.optin.replies.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.replies.matching.Outcome;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  /** Codes settled, as {@code phone programId codeHash}. */
  private final Set<String> settled = ConcurrentHashMap.newKeySet();

  private final AtomicInteger settledLookups = new AtomicInteger();
  private final OutcomeLookup codeLookup =
      new OutcomeLookup() {
        @Override
        public Optional<Outcome> outcome(String id) {
          return lookup.outcome(id);
        }

        @Override
        public Optional<Outcome> settledCode(String phone, String programId, String codeHash) {
          settledLookups.incrementAndGet();
          return settled.contains(phone + " " + programId + " " + codeHash)
              ? Optional.of(Outcome.ALREADY_CONFIRMED)
              : Optional.empty();
        }
      };

  @Test
  void shouldEndACodeEntrysWaitWhenTheTopologyConfirmsItsCodeForAnEarlierAttempt() {
    // Given an attempt waiting a minute for its outcome, whose store is looked at again only on a
    // signal (a poll of an hour)
    OutcomeSignals signals = new OutcomeSignals();
    OutcomeWait wait =
        new OutcomeWait(codeLookup, Duration.ofMinutes(1), signals, 8, Duration.ofHours(1));
    CompletableFuture<Optional<Outcome>> answer =
        CompletableFuture.supplyAsync(
            () -> wait.awaitCode("+14155550100", "attempt-2", "spring-sale", "c0ffee"));
    await().until(() -> signals.watchedPhones() == 1 && settledLookups.get() == 1);

    // When an earlier attempt of the same code confirms the challenge, and the topology tells
    settled.add("+14155550100 spring-sale c0ffee");
    signals.confirmed("+14155550100");

    // Then the attempt is answered already confirmed at once, its own outcome still unknown, and
    // nothing is held for it any more
    assertThat(answer.orTimeout(30, TimeUnit.SECONDS).join()).contains(Outcome.ALREADY_CONFIRMED);
    assertThat(settledLookups).hasValue(2);
    assertThat(signals.watched()).isZero();
    assertThat(signals.watchedPhones()).isZero();
  }

  @Test
  void shouldKeepWaitingWhenAConfirmationOfThePhoneDoesNotSettleItsCode() {
    // Given an attempt waiting on a signal only
    OutcomeSignals signals = new OutcomeSignals();
    OutcomeWait wait =
        new OutcomeWait(codeLookup, Duration.ofMinutes(1), signals, 8, Duration.ofHours(1));
    CompletableFuture<Optional<Outcome>> answer =
        CompletableFuture.supplyAsync(
            () -> wait.awaitCode("+14155550100", "attempt-2", "spring-sale", "c0ffee"));
    await().until(() -> signals.watchedPhones() == 1 && settledLookups.get() == 1);

    // When another code of the phone is confirmed (another program's challenge)
    settled.add("+14155550100 news c0ffee");
    signals.confirmed("+14155550100");
    await().until(() -> settledLookups.get() == 2);

    // Then it still waits, until its own outcome is decided
    assertThat(answer).isNotDone();
    decided.put("attempt-2", Outcome.wrongCode(2));
    signals.decided("attempt-2");
    assertThat(answer.orTimeout(30, TimeUnit.SECONDS).join()).contains(Outcome.wrongCode(2));
    assertThat(signals.watchedPhones()).isZero();
  }

  @Test
  void shouldAnswerTheAttemptsOwnOutcomeWhenItConfirmedTheCodeItself() {
    // Given the attempt's own outcome and the settled code both known: it confirmed it itself
    decided.put("attempt-1", Outcome.CONFIRMED);
    settled.add("+14155550100 spring-sale c0ffee");
    OutcomeWait wait = new OutcomeWait(codeLookup, Duration.ofMinutes(1), new OutcomeSignals(), 8);

    // When / Then
    assertThat(wait.awaitCode("+14155550100", "attempt-1", "spring-sale", "c0ffee"))
        .contains(Outcome.CONFIRMED);
    assertThat(settledLookups).hasValue(0);
  }

  @Test
  void shouldLookAtTheOwnOutcomeAgainWhenTheCodeIsFoundSettledWithoutIt() {
    // Given an attempt that confirms the challenge itself between the first look at its outcome
    // and the look at its code (the topology records the outcome before the closed challenge)
    AtomicInteger ownLooks = new AtomicInteger();
    settled.add("+14155550100 spring-sale c0ffee");
    OutcomeLookup confirmingItself =
        new OutcomeLookup() {
          @Override
          public Optional<Outcome> outcome(String id) {
            return ownLooks.incrementAndGet() == 1
                ? Optional.empty()
                : Optional.of(Outcome.CONFIRMED);
          }

          @Override
          public Optional<Outcome> settledCode(String phone, String programId, String codeHash) {
            return codeLookup.settledCode(phone, programId, codeHash);
          }
        };
    OutcomeWait wait =
        new OutcomeWait(confirmingItself, Duration.ofMinutes(1), new OutcomeSignals(), 8);

    // When / Then it is answered confirmed, its own outcome, not already confirmed
    assertThat(wait.awaitCode("+14155550100", "attempt-1", "spring-sale", "c0ffee"))
        .contains(Outcome.CONFIRMED);
    assertThat(ownLooks).hasValue(2);
    assertThat(settledLookups).hasValue(1);
  }

  @Test
  void shouldTellASettledCodeAtOnceWhenTooManyThreadsWaitAlready() {
    // Given one waiter allowed, taken
    OutcomeSignals signals = new OutcomeSignals();
    OutcomeWait wait = new OutcomeWait(codeLookup, Duration.ofMinutes(1), signals, 1);
    CompletableFuture<Optional<Outcome>> first =
        CompletableFuture.supplyAsync(() -> wait.await("SM4"));
    await().until(() -> signals.watched() == 1);
    settled.add("+14155550100 spring-sale c0ffee");

    // When / Then
    assertThat(wait.awaitCode("+14155550100", "attempt-3", "spring-sale", "c0ffee"))
        .contains(Outcome.ALREADY_CONFIRMED);
    assertThat(wait.awaitCode("+14155550100", "attempt-4", "spring-sale", "0ther")).isEmpty();
    decided.put("SM4", Outcome.CONFIRMED);
    signals.decided("SM4");
    assertThat(first.orTimeout(30, TimeUnit.SECONDS).join()).contains(Outcome.CONFIRMED);
  }

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
