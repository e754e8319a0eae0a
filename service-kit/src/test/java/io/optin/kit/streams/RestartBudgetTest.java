package io.optin.kit.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The bounded failure policy of every Streams app, on a clock the test moves. */
class RestartBudgetTest {

  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

  private final MovingClock clock = new MovingClock(T0);

  @Test
  void shouldReplaceADeadThreadWithinTheBudgetAfterADoublingBackoff() {
    // Given 3 replacements in 5 minutes, the first after 2 s
    RestartBudget budget = budget(3, Duration.ofSeconds(2), Duration.ofSeconds(30));

    // When three threads die a second apart
    List<RestartBudget.Decision> decisions = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      decisions.add(budget.onThreadDeath());
      clock.advance(Duration.ofSeconds(1));
    }

    // Then each is replaced, after 2 s, 4 s, 8 s
    assertThat(decisions)
        .containsExactly(
            new RestartBudget.Decision(true, 1, Duration.ofSeconds(2)),
            new RestartBudget.Decision(true, 2, Duration.ofSeconds(4)),
            new RestartBudget.Decision(true, 3, Duration.ofSeconds(8)));
    assertThat(budget.exhausted()).isFalse();
  }

  @Test
  void shouldShutTheClientDownForGoodOnTheFirstDeathPastTheBudget() {
    // Given a budget spent within the window
    RestartBudget budget = budget(3, Duration.ofSeconds(2), Duration.ofSeconds(30));
    for (int i = 0; i < 3; i++) {
      budget.onThreadDeath();
    }

    // When one more thread dies
    RestartBudget.Decision past = budget.onThreadDeath();

    // Then the client is shut down, and stays so even once the window has passed
    assertThat(past).isEqualTo(new RestartBudget.Decision(false, 3, Duration.ZERO));
    assertThat(budget.exhausted()).isTrue();
    clock.advance(Duration.ofHours(1));
    assertThat(budget.onThreadDeath().replace()).isFalse();
  }

  @Test
  void shouldFreeTheBudgetAsReplacementsSlideOutOfTheWindow() {
    // Given replacements at 0, 1 and 2 minutes: the budget is spent
    RestartBudget budget = budget(3, Duration.ofSeconds(2), Duration.ofSeconds(30));
    budget.onThreadDeath();
    clock.advance(Duration.ofMinutes(1));
    budget.onThreadDeath();
    clock.advance(Duration.ofMinutes(1));
    budget.onThreadDeath();

    // When a thread dies 5 minutes after the first replacement
    clock.advance(Duration.ofMinutes(3));
    RestartBudget.Decision slid = budget.onThreadDeath();

    // Then the first one has left the window: replaced, after the backoff of the third in it
    assertThat(slid).isEqualTo(new RestartBudget.Decision(true, 3, Duration.ofSeconds(8)));

    // And a death a minute before the second leaves does not fit
    clock.advance(Duration.ofSeconds(59));
    assertThat(budget.onThreadDeath().replace()).isFalse();
  }

  @Test
  void shouldStartTheBackoffAgainOnceEarlierReplacementsLeftTheWindow() {
    // Given one replacement long ago
    RestartBudget budget = budget(3, Duration.ofSeconds(2), Duration.ofSeconds(30));
    budget.onThreadDeath();
    clock.advance(Duration.ofMinutes(10));

    // When
    RestartBudget.Decision decision = budget.onThreadDeath();

    // Then
    assertThat(decision).isEqualTo(new RestartBudget.Decision(true, 1, Duration.ofSeconds(2)));
  }

  @Test
  void shouldCapTheBackoff() {
    // Given
    RestartBudget budget = budget(5, Duration.ofSeconds(1), Duration.ofSeconds(5));

    // When
    List<Duration> backoffs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      backoffs.add(budget.onThreadDeath().backoff());
    }

    // Then
    assertThat(backoffs)
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5));
  }

  @Test
  void shouldGrantExactlyTheBudgetToThreadsDyingAtOnce() throws Exception {
    // Given 8 stream threads dying at the same moment, for a budget of 3
    RestartBudget budget = budget(3, Duration.ZERO, Duration.ZERO);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<RestartBudget.Decision>> deaths = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        deaths.add(
            threads.submit(
                () -> {
                  gate.await();
                  return budget.onThreadDeath();
                }));
      }

      // When
      gate.countDown();
      List<Boolean> replaced = new ArrayList<>();
      for (Future<RestartBudget.Decision> death : deaths) {
        replaced.add(death.get().replace());
      }

      // Then
      assertThat(replaced).containsOnly(true, false);
      assertThat(replaced.stream().filter(r -> r).count()).isEqualTo(3);
      assertThat(budget.exhausted()).isTrue();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void shouldCountAFreshCopyOnItsOwn() {
    // Given a spent budget
    RestartBudget spent = budget(1, Duration.ofSeconds(2), Duration.ofSeconds(30));
    spent.onThreadDeath();
    spent.onThreadDeath();

    // When another app takes a fresh copy
    RestartBudget fresh = spent.fresh();

    // Then it has its whole budget
    assertThat(fresh.onThreadDeath())
        .isEqualTo(new RestartBudget.Decision(true, 1, Duration.ofSeconds(2)));
    assertThat(spent.exhausted()).isTrue();
  }

  private RestartBudget budget(int max, Duration firstBackoff, Duration maxBackoff) {
    return new RestartBudget(max, Duration.ofMinutes(5), firstBackoff, maxBackoff, clock);
  }

  /** A clock that only moves when told. */
  private static final class MovingClock extends Clock {
    private volatile Instant now;

    MovingClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
