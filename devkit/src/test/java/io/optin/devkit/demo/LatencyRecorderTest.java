package io.optin.devkit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.devkit.demo.LatencyRecorder.Percentiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

  @Test
  void shouldReportNearestRankPercentilesWhateverTheOrder() {
    // Given 1 ms to 100 ms recorded in a shuffled order
    List<Integer> millis = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      millis.add(i);
    }
    Collections.shuffle(millis, new Random(7));
    LatencyRecorder recorder = new LatencyRecorder("test");
    millis.forEach(ms -> recorder.record(Duration.ofMillis(ms)));

    // When
    Percentiles p = recorder.percentiles();

    // Then
    assertThat(p)
        .isEqualTo(
            new Percentiles(
                100,
                Duration.ofMillis(50),
                Duration.ofMillis(95),
                Duration.ofMillis(99),
                Duration.ofMillis(100)));
  }

  @Test
  void shouldTakeTheSmallestSampleCoveringThePercentageOfAFewSamples() {
    LatencyRecorder recorder = new LatencyRecorder("test");
    recorder.record(Duration.ofMillis(30));
    recorder.record(Duration.ofMillis(10));
    recorder.record(Duration.ofMillis(20));

    // p50 covers 1.5 samples: the 2nd; p95 and p99 the 3rd
    assertThat(recorder.percentiles())
        .isEqualTo(
            new Percentiles(
                3,
                Duration.ofMillis(20),
                Duration.ofMillis(30),
                Duration.ofMillis(30),
                Duration.ofMillis(30)));
  }

  @Test
  void shouldReportOneSampleAsEveryPercentile() {
    LatencyRecorder recorder = new LatencyRecorder("test");
    recorder.record(Duration.ofMillis(42));

    assertThat(recorder.percentiles())
        .isEqualTo(
            new Percentiles(
                1,
                Duration.ofMillis(42),
                Duration.ofMillis(42),
                Duration.ofMillis(42),
                Duration.ofMillis(42)));
  }

  @Test
  void shouldReportNothingBeforeTheFirstSample() {
    assertThat(new LatencyRecorder("test").percentiles()).isEqualTo(Percentiles.NONE);
  }

  @Test
  void shouldCountANegativeDurationAsZero() {
    LatencyRecorder recorder = new LatencyRecorder("test");
    recorder.record(Duration.ofMillis(-3));

    assertThat(recorder.percentiles().max()).isEqualTo(Duration.ZERO);
  }

  @Test
  void shouldKeepEverySampleRecordedFromManyThreads() throws InterruptedException {
    LatencyRecorder recorder = new LatencyRecorder("test");
    ExecutorService threads = Executors.newFixedThreadPool(8);
    for (int i = 0; i < 8_000; i++) {
      int ms = i % 1000;
      threads.execute(() -> recorder.record(Duration.ofMillis(ms)));
    }
    threads.shutdown();
    assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    assertThat(recorder.count()).isEqualTo(8_000);
    assertThat(recorder.percentiles().max()).isEqualTo(Duration.ofMillis(999));
  }
}
