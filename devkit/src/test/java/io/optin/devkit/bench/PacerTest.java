package io.optin.devkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PacerTest {

  /** A clock that only moves when the pacer sleeps, or when a test says so. */
  private static final class FakeTicker implements Pacer.Ticker {
    long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleepUntil(long nanos) {
      now = Math.max(now, nanos);
    }
  }

  @Test
  void shouldStartEachOpenLoopFlowAtItsIntendedTime() throws Exception {
    // Given 4 signups a second for 2 s
    FakeTicker ticker = new FakeTicker();
    long start = ticker.now;
    List<long[]> started = new ArrayList<>();

    // When
    new Pacer(ticker)
        .run(
            new BenchOptions.OpenLoop(4, Duration.ofSeconds(2)),
            1,
            (index, intended, done) -> started.add(new long[] {index, intended, ticker.now}));

    // Then 8 flows, 250 ms apart, each started at its intended time
    assertThat(started).extracting(s -> s[0]).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(started)
        .extracting(s -> s[1] - start)
        .containsExactly(
            0L,
            250_000_000L,
            500_000_000L,
            750_000_000L,
            1_000_000_000L,
            1_250_000_000L,
            1_500_000_000L,
            1_750_000_000L);
    assertThat(started).allMatch(s -> s[1] == s[2]);
  }

  @Test
  void shouldKeepTheIntendedTimesWhenStartingFallsBehind() throws Exception {
    // Given a starter that takes 600 ms per flow (a stalled system) at 4 a second
    FakeTicker ticker = new FakeTicker();
    long start = ticker.now;
    List<Long> intendedOffsets = new ArrayList<>();
    List<Long> lateness = new ArrayList<>();

    // When
    new Pacer(ticker)
        .run(
            new BenchOptions.OpenLoop(4, Duration.ofSeconds(1)),
            1,
            (index, intended, done) -> {
              intendedOffsets.add(intended - start);
              lateness.add(ticker.now - intended);
              ticker.now += 600_000_000L;
            });

    // Then each flow keeps its schedule, so its latency includes the stall (no coordinated
    // omission)
    assertThat(intendedOffsets).containsExactly(0L, 250_000_000L, 500_000_000L, 750_000_000L);
    assertThat(lateness).containsExactly(0L, 350_000_000L, 700_000_000L, 1_050_000_000L);
  }

  @Test
  void shouldKeepAtMostConcurrencyClosedLoopFlowsInFlight() throws Exception {
    // Given a closed loop of 10 flows, 3 at a time, finished by other threads
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Thread> finishers = new ArrayList<>();

    // When
    new Pacer(Pacer.Ticker.SYSTEM)
        .run(
            new BenchOptions.ClosedLoop(10),
            3,
            (index, intended, done) -> {
              most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
              Thread finisher =
                  new Thread(
                      () -> {
                        inFlight.decrementAndGet();
                        done.run();
                      });
              finishers.add(finisher);
              finisher.start();
            });
    for (Thread finisher : finishers) {
      finisher.join();
    }

    // Then
    assertThat(finishers).hasSize(10);
    assertThat(most.get()).isBetween(1, 3);
    assertThat(inFlight).hasValue(0);
  }

  @Test
  void shouldSpreadTheIntendedTimesEvenlyAtAnyRate() {
    assertThat(Pacer.intendedOffsetNanos(1000, 0)).isZero();
    assertThat(Pacer.intendedOffsetNanos(1000, 1)).isEqualTo(1_000_000L);
    assertThat(Pacer.intendedOffsetNanos(3, 1)).isEqualTo(333_333_333L);
    assertThat(Pacer.intendedOffsetNanos(0.5, 3)).isEqualTo(6_000_000_000L);
  }
}
