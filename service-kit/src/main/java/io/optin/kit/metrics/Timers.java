package io.optin.kit.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Durations under one name with labels, exposed as a Prometheus histogram in seconds ({@code
 * _bucket}, {@code _count}, {@code _sum}) plus the largest recent value ({@code _max}): a
 * Micrometer {@link Timer} per combination of label values, created on first record. Obtain one
 * from {@link Metrics#timers}.
 */
public final class Timers implements Metrics.Instrument {

  static final String SUFFIX = "_seconds";

  /**
   * The histogram's buckets.
   *
   * @param percentiles Micrometer's percentile buckets between {@code min} and {@code max} (about
   *     four per power of two), for {@code histogram_quantile} within a few percent; false for the
   *     {@code slos} alone
   * @param slos buckets at exactly these durations (the goals a ratio reads: p99 ≤ 150 ms…)
   */
  public record Buckets(boolean percentiles, Duration min, Duration max, List<Duration> slos) {

    public Buckets {
      Objects.requireNonNull(min, "min");
      Objects.requireNonNull(max, "max");
      slos = List.copyOf(slos);
    }

    /** Percentile buckets from {@code min} to {@code max}, plus one at each of {@code slos}. */
    public static Buckets percentiles(Duration min, Duration max, Duration... slos) {
      return new Buckets(true, min, max, List.of(slos));
    }

    /** Exactly these buckets (and +Inf): a dozen lines per series. */
    public static Buckets only(Duration... slos) {
      return new Buckets(false, slos[0], slos[slos.length - 1], List.of(slos));
    }
  }

  private final MeterRegistry registry;
  private final String name;
  private final String meterName;
  private final String help;
  private final Buckets buckets;
  private final List<String> labelNames;
  private final Map<List<String>, Timer> series = new ConcurrentHashMap<>();

  Timers(
      MeterRegistry registry, String name, String help, Buckets buckets, List<String> labelNames) {
    this.registry = registry;
    this.name = name;
    // Micrometer appends the base unit (seconds) to a timer's name.
    this.meterName = name.substring(0, name.length() - SUFFIX.length());
    this.help = help;
    this.buckets = Objects.requireNonNull(buckets, "buckets");
    this.labelNames = labelNames;
  }

  /**
   * Records {@code duration} in the series of these label values; a negative one (clocks of two
   * machines apart) counts as 0.
   */
  public void record(Duration duration, String... labelValues) {
    long nanos = Math.max(0, duration.toNanos());
    timer(Metrics.series(name, labelNames, labelValues)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** How many durations one series holds, 0 when none was recorded. */
  public long count(String... labelValues) {
    Timer timer = series.get(Metrics.series(name, labelNames, labelValues));
    return timer == null ? 0 : timer.count();
  }

  /** The sum of one series' durations. */
  public Duration total(String... labelValues) {
    Timer timer = series.get(Metrics.series(name, labelNames, labelValues));
    return timer == null
        ? Duration.ZERO
        : Duration.ofNanos((long) timer.totalTime(TimeUnit.NANOSECONDS));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean sameShape(Metrics.Instrument other) {
    return other instanceof Timers timers
        && timers.help.equals(help)
        && timers.buckets.equals(buckets)
        && timers.labelNames.equals(labelNames);
  }

  private Timer timer(List<String> values) {
    return series.computeIfAbsent(
        values,
        v ->
            Timer.builder(meterName)
                .description(help)
                .tags(Metrics.tags(labelNames, v))
                .publishPercentileHistogram(buckets.percentiles())
                .minimumExpectedValue(buckets.min())
                .maximumExpectedValue(buckets.max())
                .serviceLevelObjectives(buckets.slos().toArray(Duration[]::new))
                .register(registry));
  }
}
