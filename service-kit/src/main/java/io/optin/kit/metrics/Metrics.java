package io.optin.kit.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * The application's metrics, one registry per process: a Micrometer {@link PrometheusMeterRegistry}
 * rendered in the Prometheus text format 0.0.4 for {@code GET /metrics}, with optin's instruments
 * declared under their Prometheus names. Thread-safe.
 *
 * <p>Registering a name twice returns the first instrument when the help and labels agree, so each
 * service may declare the instruments it updates without knowing who else does.
 */
public final class Metrics {

  /** Content type of {@link #render()}. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final PrometheusMeterRegistry registry = registry();
  private final Map<String, Instrument> instruments = new ConcurrentHashMap<>();
  private final Set<String> programs = ConcurrentHashMap.newKeySet();
  private JvmGcMetrics jvmGc;

  /**
   * The Prometheus registry, every meter with a HELP line: some Kafka metrics come without a
   * description, and a family without HELP leaves a dashboard's reader guessing.
   */
  private static PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                String description = id.getDescription();
                return description == null || description.isBlank()
                    ? new Meter.Id(
                        id.getName(),
                        Tags.of(id.getTagsAsIterable()),
                        id.getBaseUnit(),
                        id.getName() + " (its source gives no description)",
                        id.getType())
                    : id;
              }
            });
    return registry;
  }

  /** The Micrometer registry underneath, for binders (Kafka clients, Kafka Streams). */
  public MeterRegistry meterRegistry() {
    return registry;
  }

  /**
   * A counter: a value that only goes up, one series per combination of label values. {@code name}
   * ends in {@code _total}, as Prometheus exposes counters.
   */
  public Counter counter(String name, String help, String... labelNames) {
    if (!name.endsWith(Counter.SUFFIX)) {
      throw new IllegalArgumentException("a counter's name ends in _total: " + name);
    }
    return register(new Counter(registry, name, help, checkedLabels(labelNames)), Counter.class);
  }

  /**
   * A gauge read from {@code value} at each scrape (for example the number of running stream
   * threads).
   */
  public void gauge(String name, String help, DoubleSupplier value) {
    Objects.requireNonNull(value, "value");
    if (register(new Solo(name, help), Solo.class).claimed()) {
      Gauge.builder(name, () -> Gauges.sample(value)).description(help).register(registry);
    }
  }

  /**
   * Gauges with labels, one series per combination of label values, each read at each scrape (for
   * example the state of each Streams app).
   */
  public Gauges gauges(String name, String help, String... labelNames) {
    return register(new Gauges(registry, name, help, checkedLabels(labelNames)), Gauges.class);
  }

  /**
   * Timers exposed as a Prometheus histogram named {@code name} (ending in {@code _seconds}):
   * {@code _bucket}, {@code _count} and {@code _sum}, and the largest recent value as {@code
   * name_max}.
   *
   * @param buckets the histogram's buckets
   */
  public Timers timers(String name, String help, Timers.Buckets buckets, String... labelNames) {
    if (!name.endsWith(Timers.SUFFIX)) {
      throw new IllegalArgumentException("a timer's name ends in _seconds: " + name);
    }
    return register(
        new Timers(registry, name, help, buckets, checkedLabels(labelNames)), Timers.class);
  }

  /**
   * Binds the JVM's meters (memory, GC, threads, class loading, process CPU, uptime, file
   * descriptors): what a process's {@code /metrics} shows beside optin's own. Bound once; closing
   * the binding releases the GC listeners (the meters stay, reading the JVM).
   */
  public synchronized Binding bindJvm() {
    if (jvmGc != null) {
      return () -> {};
    }
    JvmGcMetrics gc = new JvmGcMetrics();
    for (MeterBinder binder :
        List.of(
            new JvmMemoryMetrics(),
            gc,
            new JvmThreadMetrics(),
            new ClassLoaderMetrics(),
            new ProcessorMetrics(),
            new UptimeMetrics(),
            new FileDescriptorMetrics())) {
      binder.bindTo(registry);
    }
    jvmGc = gc;
    return gc::close;
  }

  /** The program ids labelled so far by {@link OptinMetrics}, whose bound is the process's. */
  Set<String> programs() {
    return programs;
  }

  /** Binds {@code binder}'s meters. */
  public void bind(MeterBinder binder) {
    binder.bindTo(registry);
  }

  /** Every series in the Prometheus text exposition format 0.0.4, sorted by name. */
  public String render() {
    return registry.scrape();
  }

  /** Meters bound to a resource (a client, the JVM's GC notifications), released with it. */
  @FunctionalInterface
  public interface Binding extends AutoCloseable {
    @Override
    void close();
  }

  private <T extends Instrument> T register(T instrument, Class<T> type) {
    if (!NAME.matcher(instrument.name()).matches()) {
      throw new IllegalArgumentException("not a Prometheus metric name: " + instrument.name());
    }
    Instrument existing = instruments.putIfAbsent(instrument.name(), instrument);
    if (existing == null) {
      return instrument;
    }
    if (!type.isInstance(existing) || !existing.sameShape(instrument)) {
      throw new IllegalArgumentException(
          "metric " + instrument.name() + " is already registered differently");
    }
    return type.cast(existing);
  }

  private static List<String> checkedLabels(String... labelNames) {
    List<String> labels = new ArrayList<>();
    for (String label : labelNames) {
      if (!LABEL.matcher(Objects.requireNonNull(label, "label")).matches()
          || label.startsWith("__")
          || label.equals("le")) {
        throw new IllegalArgumentException("not a Prometheus label name: " + label);
      }
      labels.add(label);
    }
    return List.copyOf(labels);
  }

  /** Something exposed under one metric name. */
  sealed interface Instrument permits Counter, Gauges, Timers, Solo {
    String name();

    boolean sameShape(Instrument other);
  }

  /** The claim on the name of a gauge without labels: the first registration binds its supplier. */
  static final class Solo implements Instrument {
    private final String name;
    private final String help;
    private boolean claimed;

    Solo(String name, String help) {
      this.name = name;
      this.help = help;
    }

    /** True the first time only. */
    synchronized boolean claimed() {
      boolean first = !claimed;
      claimed = true;
      return first;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean sameShape(Instrument other) {
      return other instanceof Solo solo && solo.help.equals(help);
    }
  }

  /**
   * The series of {@code instrument} that {@code values} name, a null value read as empty.
   *
   * @throws IllegalArgumentException when there are not as many values as label names
   */
  static List<String> series(String instrument, List<String> names, String... values) {
    if (values.length != names.size()) {
      throw new IllegalArgumentException(
          instrument + " takes labels " + names + ", got " + Arrays.toString(values));
    }
    return Arrays.stream(values).map(value -> value == null ? "" : value).toList();
  }

  /** Micrometer's tags for these label names and values, in declaration order. */
  static Tags tags(List<String> names, List<String> values) {
    Tags tags = Tags.empty();
    for (int i = 0; i < names.size(); i++) {
      tags = tags.and(names.get(i), values.get(i));
    }
    return tags;
  }
}
