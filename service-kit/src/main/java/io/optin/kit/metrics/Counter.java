package io.optin.kit.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus counter ({@code _total} by convention): one monotonic series per combination of
 * label values, created on first increment. Obtain one from {@link Metrics#counter}.
 */
public final class Counter implements Metrics.Instrument {

  private final String name;
  private final String help;
  private final List<String> labelNames;
  private final Map<List<String>, LongAdder> series = new ConcurrentHashMap<>();

  Counter(String name, String help, List<String> labelNames) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
  }

  /** Adds one to the series of these label values (given in the order the labels were declared). */
  public void inc(String... labelValues) {
    add(1, labelValues);
  }

  public void add(long amount, String... labelValues) {
    if (amount < 0) {
      throw new IllegalArgumentException("a counter only goes up: " + amount);
    }
    series.computeIfAbsent(key(labelValues), k -> new LongAdder()).add(amount);
  }

  /** The current value of one series, 0 when it was never incremented. */
  public long value(String... labelValues) {
    LongAdder adder = series.get(key(labelValues));
    return adder == null ? 0 : adder.sum();
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

  @Override
  public void render(StringBuilder text) {
    Metrics.header(text, name, help, "counter");
    Map<String, Long> sorted = new ConcurrentSkipListMap<>();
    series.forEach((values, adder) -> sorted.put(labels(values), adder.sum()));
    if (sorted.isEmpty() && labelNames.isEmpty()) {
      sorted.put("", 0L);
    }
    Metrics.samples(text, name, sorted);
  }

  private List<String> key(String... labelValues) {
    return Metrics.series(name, labelNames, labelValues);
  }

  private String labels(List<String> values) {
    return Metrics.labels(labelNames, values);
  }
}
