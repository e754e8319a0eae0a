package io.optin.devkit.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Collects the durations of one kind of step (signup to SMS, reply to confirmation) from many
 * threads and reports nearest-rank percentiles: p is the smallest recorded duration that at least
 * p% of them do not exceed.
 */
public final class LatencyRecorder {

  private final String name;
  private final List<Duration> samples = new ArrayList<>();

  public LatencyRecorder(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  public String name() {
    return name;
  }

  /** Records one duration; a negative one (clocks of two sides a hair apart) counts as zero. */
  public synchronized void record(Duration duration) {
    samples.add(duration.isNegative() ? Duration.ZERO : duration);
  }

  public synchronized int count() {
    return samples.size();
  }

  /** p50, p95, p99 and max of what was recorded so far. */
  public synchronized Percentiles percentiles() {
    if (samples.isEmpty()) {
      return Percentiles.NONE;
    }
    List<Duration> sorted = new ArrayList<>(samples);
    sorted.sort(null);
    return new Percentiles(
        sorted.size(),
        rank(sorted, 50),
        rank(sorted, 95),
        rank(sorted, 99),
        sorted.get(sorted.size() - 1));
  }

  private static Duration rank(List<Duration> sorted, int percent) {
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.max(rank, 1) - 1);
  }

  /** Nearest-rank percentiles of {@code count} samples; all null when there is none. */
  public record Percentiles(int count, Duration p50, Duration p95, Duration p99, Duration max) {
    public static final Percentiles NONE = new Percentiles(0, null, null, null, null);
  }
}
