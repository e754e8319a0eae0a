package io.optin.kit.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Prometheus counter ({@code _total}): one monotonic series per combination of label values,
 * created on first increment (a counter without labels is exposed at 0 from the start). A
 * Micrometer counter underneath. Obtain one from {@link Metrics#counter}.
 */
public final class Counter implements Metrics.Instrument {

  static final String SUFFIX = "_total";

  private final MeterRegistry registry;
  private final String name;
  private final String meterName;
  private final String help;
  private final List<String> labelNames;
  private final Map<List<String>, io.micrometer.core.instrument.Counter> series =
      new ConcurrentHashMap<>();

  Counter(MeterRegistry registry, String name, String help, List<String> labelNames) {
    this.registry = registry;
    this.name = name;
    // Micrometer's Prometheus naming appends _total to a counter's name.
    this.meterName = name.substring(0, name.length() - SUFFIX.length());
    this.help = help;
    this.labelNames = labelNames;
    if (labelNames.isEmpty()) {
      meter(List.of());
    }
  }

  /** Adds one to the series of these label values (given in the order the labels were declared). */
  public void inc(String... labelValues) {
    add(1, labelValues);
  }

  public void add(long amount, String... labelValues) {
    if (amount < 0) {
      throw new IllegalArgumentException("a counter only goes up: " + amount);
    }
    meter(Metrics.series(name, labelNames, labelValues)).increment(amount);
  }

  /** The current value of one series, 0 when it was never incremented. */
  public long value(String... labelValues) {
    io.micrometer.core.instrument.Counter counter =
        series.get(Metrics.series(name, labelNames, labelValues));
    return counter == null ? 0 : (long) counter.count();
  }

  /**
   * The sum of the series whose first labels have these values (all series when none is given):
   * {@code total("reply_yes")} of a counter labelled method, program, country.
   */
  public long total(String... leadingValues) {
    if (leadingValues.length > labelNames.size()) {
      throw new IllegalArgumentException(
          name + " takes labels " + labelNames + ", got " + leadingValues.length + " values");
    }
    List<String> prefix =
        Metrics.series(name, labelNames.subList(0, leadingValues.length), leadingValues);
    double sum = 0;
    for (Map.Entry<List<String>, io.micrometer.core.instrument.Counter> entry : series.entrySet()) {
      if (entry.getKey().subList(0, prefix.size()).equals(prefix)) {
        sum += entry.getValue().count();
      }
    }
    return (long) sum;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean sameShape(Metrics.Instrument other) {
    return other instanceof Counter counter
        && counter.help.equals(help)
        && counter.labelNames.equals(labelNames);
  }

  private io.micrometer.core.instrument.Counter meter(List<String> values) {
    return series.computeIfAbsent(
        values,
        v ->
            io.micrometer.core.instrument.Counter.builder(meterName)
                .description(help)
                .tags(Metrics.tags(labelNames, v))
                .register(registry));
  }
}
