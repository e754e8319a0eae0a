package io.optin.kit.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * Gauges under one name with labels: one series per combination of label values, each read from its
 * supplier when scraped (for example the state of each Streams app of the process). Obtain one from
 * {@link Metrics#gauges}.
 */
public final class Gauges implements Metrics.Instrument {

  private final MeterRegistry registry;
  private final String name;
  private final String help;
  private final List<String> labelNames;
  private final Map<List<String>, DoubleSupplier> series = new ConcurrentHashMap<>();

  Gauges(MeterRegistry registry, String name, String help, List<String> labelNames) {
    this.registry = registry;
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
  }

  /**
   * Reads the series of these label values from {@code value}; a later call for the same values
   * replaces it (a service started again in the same process).
   */
  public void series(DoubleSupplier value, String... labelValues) {
    Objects.requireNonNull(value, "value");
    List<String> key = Metrics.series(name, labelNames, labelValues);
    if (series.put(key, value) == null) {
      // Micrometer keeps the first gauge of an id: it reads whichever supplier is current.
      Gauge.builder(name, () -> sample(series.get(key)))
          .description(help)
          .tags(Metrics.tags(labelNames, key))
          .register(registry);
    }
  }

  /** The current value of one series, NaN when it has none or its supplier fails. */
  public double value(String... labelValues) {
    DoubleSupplier supplier = series.get(Arrays.asList(labelValues));
    return supplier == null ? Double.NaN : sample(supplier);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean sameShape(Metrics.Instrument other) {
    return other instanceof Gauges gauges
        && gauges.help.equals(help)
        && gauges.labelNames.equals(labelNames);
  }

  /** A supplier's value, NaN when it fails: a scrape never fails for one gauge. */
  static double sample(DoubleSupplier supplier) {
    if (supplier == null) {
      return Double.NaN;
    }
    try {
      return supplier.getAsDouble();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }
}
