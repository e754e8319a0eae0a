package io.optin.devkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

  @Test
  void shouldSummariseAHistogramInMillisecondsWithinItsPrecision() {
    // Given 1 ms to 1000 ms, once each
    LatencySummary summary = LatencySummary.of("hop", "a hop", Results.oneToMillis(1000));

    // Then the percentiles are the nearest ranks, to HdrHistogram's 3 significant digits
    assertThat(summary.count()).isEqualTo(1000);
    assertThat(summary.p50()).isCloseTo(500, within(0.5));
    assertThat(summary.p95()).isCloseTo(950, within(1.0));
    assertThat(summary.p99()).isCloseTo(990, within(1.0));
    assertThat(summary.p999()).isCloseTo(999, within(1.0));
    assertThat(summary.max()).isCloseTo(1000, within(1.0));
    assertThat(summary.mean()).isCloseTo(500.5, within(0.5));
    assertThat(List.of(summary.p50(), summary.p95(), summary.p99(), summary.p999(), summary.max()))
        .isSorted();
  }

  @Test
  void shouldDrawTheCurveFromTheLowestToTheMaximum() {
    LatencySummary summary = LatencySummary.of("hop", "a hop", Results.oneToMillis(1000));

    assertThat(summary.distribution()).hasSize(LatencySummary.CURVE.length);
    assertThat(summary.distribution().get(0).millis()).isCloseTo(1, within(0.01));
    assertThat(summary.distribution().get(summary.distribution().size() - 1))
        .isEqualTo(new LatencySummary.Point(100, summary.max()));
    assertThat(summary.distribution().stream().map(LatencySummary.Point::millis).toList())
        .isSorted();
  }

  @Test
  void shouldSummariseNothingAsZeroes() {
    assertThat(LatencySummary.of("hop", "a hop", LatencySummary.newHistogram()))
        .isEqualTo(new LatencySummary("hop", "a hop", 0, 0, 0, 0, 0, 0, 0, List.of()));
  }
}
