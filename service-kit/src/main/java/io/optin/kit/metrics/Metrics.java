package io.optin.kit.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * The application's metrics, one registry per process: counters with labels and gauges read when
 * scraped, rendered in the Prometheus text format 0.0.4 for {@code GET /metrics}. Dependency-free
 * and thread-safe.
 *
 * <p>Registering a name twice returns the first instrument when the help and labels agree, so each
 * service may declare the counters it increments without knowing who else does.
 */
public final class Metrics {

  /** Content type of {@link #render()}. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final Map<String, Instrument> instruments = new ConcurrentHashMap<>();

  /** A counter: a value that only goes up, one series per combination of label values. */
  public Counter counter(String name, String help, String... labelNames) {
    return register(new Counter(name, help, checkedLabels(labelNames)), Counter.class);
  }

  /**
   * A gauge read from {@code value} at each scrape (for example the number of running stream
   * threads).
   */
  public void gauge(String name, String help, DoubleSupplier value) {
    register(new Gauge(name, help, value), Gauge.class);
  }

  /**
   * Gauges with labels, one series per combination of label values, each read at each scrape (for
   * example the state of each Streams app).
   */
  public Gauges gauges(String name, String help, String... labelNames) {
    return register(new Gauges(name, help, checkedLabels(labelNames)), Gauges.class);
  }

  /** Every instrument in the Prometheus text exposition format 0.0.4, sorted by name. */
  public String render() {
    StringBuilder text = new StringBuilder();
    instruments.values().stream()
        .sorted((a, b) -> a.name().compareTo(b.name()))
        .forEach(instrument -> instrument.render(text));
    return text.toString();
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
          || label.startsWith("__")) {
        throw new IllegalArgumentException("not a Prometheus label name: " + label);
      }
      labels.add(label);
    }
    return List.copyOf(labels);
  }

  /** Something rendered under one metric name. */
  sealed interface Instrument permits Counter, Gauge, Gauges {
    String name();

    boolean sameShape(Instrument other);

    void render(StringBuilder text);
  }

  /** The {@code # HELP} line with Prometheus' escaping of backslashes and new lines. */
  static void header(StringBuilder text, String name, String help, String type) {
    text.append("# HELP ")
        .append(name)
        .append(' ')
        .append(help.replace("\\", "\\\\").replace("\n", "\\n"))
        .append('\n');
    text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** One line per series, {@code name{labels} value}, in the order of {@code samples}. */
  static void samples(StringBuilder text, String name, Map<String, ? extends Number> samples) {
    samples.forEach(
        (labels, value) ->
            text.append(name)
                .append(labels)
                .append(' ')
                .append(number(value.doubleValue()))
                .append('\n'));
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

  /** {@code {a="x",b="y"}} for these label names and values, empty without labels. */
  static String labels(List<String> names, List<String> values) {
    if (values.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append(names.get(i)).append("=\"").append(escape(values.get(i))).append('"');
    }
    return text.append('}').toString();
  }

  /** Label values escape backslash, double quote and new line (text format 0.0.4). */
  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** A sample value as Prometheus writes it: whole numbers without a fraction. */
  static String number(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }

  /** A gauge sampled at render time. */
  record Gauge(String name, String help, DoubleSupplier value) implements Instrument {
    @Override
    public boolean sameShape(Instrument other) {
      return other instanceof Gauge gauge && gauge.help.equals(help);
    }

    @Override
    public void render(StringBuilder text) {
      header(text, name, help, "gauge");
      double sample;
      try {
        sample = value.getAsDouble();
      } catch (RuntimeException e) {
        sample = Double.NaN;
      }
      text.append(name).append(' ').append(number(sample)).append('\n');
    }
  }
}
