package io.optin.devkit.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The percentiles of one hop, in milliseconds, from an HdrHistogram of microseconds (3 significant
 * digits): p50, p95, p99, p99.9 and max, and the percentile curve the report plots.
 *
 * @param distribution (percentile, milliseconds) points from 0 to 100, denser towards the tail
 */
record LatencySummary(
    String id,
    String label,
    long count,
    double p50,
    double p95,
    double p99,
    double p999,
    double max,
    double mean,
    List<Point> distribution) {

  /** The percentiles the report's curve is drawn through. */
  static final double[] CURVE =
      new double[] {
        0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96.25, 97.5, 98.125, 98.75, 99,
        99.375, 99.5, 99.6875, 99.8, 99.9, 99.95, 99.99, 99.999, 100
      };

  record Point(double percentile, double millis) {}

  LatencySummary {
    distribution = List.copyOf(distribution);
  }

  /** Summarises {@code micros}, a histogram of microseconds. */
  static LatencySummary of(String id, String label, Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return new LatencySummary(id, label, 0, 0, 0, 0, 0, 0, 0, List.of());
    }
    List<Point> curve = new ArrayList<>();
    for (double p : CURVE) {
      curve.add(new Point(p, millisAt(micros, p)));
    }
    return new LatencySummary(
        id,
        label,
        micros.getTotalCount(),
        millisAt(micros, 50),
        millisAt(micros, 95),
        millisAt(micros, 99),
        millisAt(micros, 99.9),
        micros.getMaxValue() / 1000.0,
        micros.getMean() / 1000.0,
        curve);
  }

  /** A histogram of microseconds able to hold up to an hour at 3 significant digits. */
  static Histogram newHistogram() {
    return new Histogram(3_600_000_000L, 3);
  }

  private static double millisAt(Histogram micros, double percentile) {
    // highestEquivalentValue: the value reported for a bucket is the largest it may hold, so a
    // percentile is never understated.
    long value =
        percentile >= 100
            ? micros.getMaxValue()
            : micros.highestEquivalentValue(micros.getValueAtPercentile(percentile));
    return Math.min(value, micros.getMaxValue()) / 1000.0;
  }
}
