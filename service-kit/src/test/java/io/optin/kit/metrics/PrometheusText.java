package io.optin.kit.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line must be
 * HELP, TYPE or a sample of the grammar; each family has one HELP and one TYPE before its samples,
 * which are contiguous; no family or series appears twice; a histogram's buckets carry {@code le},
 * grow, and end at {@code +Inf} equal to {@code _count}. {@link #parse} throws {@link
 * IllegalArgumentException} naming the first line that breaks a rule.
 */
public final class PrometheusText {

  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final String LABEL_VALUE = "\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"";
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
  private static final Pattern TYPE =
      Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
  private static final Pattern SAMPLE =
      Pattern.compile(
          "("
              + NAME
              + ")(?:\\{(.*)\\})? (NaN|[+-]Inf|[+-]?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)"
              + "(?: -?[0-9]+)?");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=" + LABEL_VALUE + "(,|$)");

  /** One family: its type, help and samples (series name with sorted labels → value). */
  public record Family(String name, String type, String help, Map<String, Double> samples) {}

  private final Map<String, Family> families;

  private PrometheusText(Map<String, Family> families) {
    this.families = families;
  }

  /** Reads {@code text}, checking every rule. */
  public static PrometheusText parse(String text) {
    Map<String, Family> families = new LinkedHashMap<>();
    Set<String> series = new HashSet<>();
    Family current = null;
    String pendingHelp = null;
    String pendingHelpName = null;
    String[] lines = text.split("\n", -1);
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("the exposition does not end with a new line");
    }
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String where = "line " + (i + 1) + ": " + line;
      if (line.isEmpty()) {
        if (i != lines.length - 1) {
          throw new IllegalArgumentException("empty line inside the exposition, " + where);
        }
        continue;
      }
      Matcher help = HELP.matcher(line);
      Matcher type = TYPE.matcher(line);
      if (help.matches()) {
        if (families.containsKey(help.group(1)) || pendingHelp != null) {
          throw new IllegalArgumentException("HELP repeated or out of place, " + where);
        }
        pendingHelp = help.group(2);
        pendingHelpName = help.group(1);
      } else if (type.matches()) {
        String name = type.group(1);
        if (families.containsKey(name)) {
          throw new IllegalArgumentException("family declared twice, " + where);
        }
        if (pendingHelp == null || !pendingHelpName.equals(name)) {
          throw new IllegalArgumentException("TYPE without its HELP just before, " + where);
        }
        current = new Family(name, type.group(2), pendingHelp, new LinkedHashMap<>());
        families.put(name, current);
        pendingHelp = null;
      } else if (line.startsWith("#")) {
        throw new IllegalArgumentException("unexpected comment, " + where);
      } else {
        Matcher sample = SAMPLE.matcher(line);
        if (!sample.matches()) {
          throw new IllegalArgumentException("not a sample line of the grammar, " + where);
        }
        if (current == null || !belongs(sample.group(1), current)) {
          throw new IllegalArgumentException(
              "sample outside its family's block (no TYPE, or interleaved), " + where);
        }
        Map<String, String> labels = labels(sample.group(2), where);
        String key = sample.group(1) + render(labels);
        if (!series.add(key)) {
          throw new IllegalArgumentException("series repeated, " + where);
        }
        current.samples().put(key, value(sample.group(3)));
      }
    }
    if (pendingHelp != null) {
      throw new IllegalArgumentException("HELP without TYPE for " + pendingHelpName);
    }
    for (Family family : families.values()) {
      if (family.type().equals("histogram")) {
        checkHistogram(family);
      }
    }
    return new PrometheusText(Collections.unmodifiableMap(families));
  }

  /** The families by name. */
  public Map<String, Family> families() {
    return families;
  }

  /**
   * Every name a query may use: the families' own and their samples' ({@code _bucket}, {@code
   * _count}, {@code _sum}).
   */
  public Set<String> sampleNames() {
    Set<String> names = new HashSet<>(families.keySet());
    families
        .values()
        .forEach(f -> f.samples().keySet().forEach(k -> names.add(k.replaceAll("\\{.*", ""))));
    return names;
  }

  /** The value of one series, {@code name} and its labels in any order; null when absent. */
  public Double value(String name, Map<String, String> labels) {
    String key = name + render(new TreeMap<>(labels));
    for (Family family : families.values()) {
      Double value = family.samples().get(key);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /**
   * The sum of the series of sample {@code name} whose labels include {@code labels} (all its
   * series when empty); 0 when none.
   */
  public double sum(String name, Map<String, String> labels) {
    double sum = 0;
    for (Family family : families.values()) {
      for (Map.Entry<String, Double> sample : family.samples().entrySet()) {
        String key = sample.getKey();
        String sampleName = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
        if (sampleName.equals(name)
            && labels.entrySet().stream()
                .allMatch(l -> key.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
          sum += sample.getValue();
        }
      }
    }
    return sum;
  }

  private static boolean belongs(String sample, Family family) {
    String name = family.name();
    return switch (family.type()) {
      case "histogram" ->
          sample.equals(name + "_bucket")
              || sample.equals(name + "_count")
              || sample.equals(name + "_sum");
      case "summary" ->
          sample.equals(name) || sample.equals(name + "_count") || sample.equals(name + "_sum");
      default -> sample.equals(name);
    };
  }

  private static Map<String, String> labels(String text, String where) {
    Map<String, String> labels = new TreeMap<>();
    if (text == null || text.isEmpty()) {
      return labels;
    }
    Matcher label = LABEL.matcher(text);
    int at = 0;
    while (at < text.length()) {
      if (!label.find(at) || label.start() != at) {
        throw new IllegalArgumentException("malformed labels, " + where);
      }
      if (labels.put(label.group(1), label.group(2)) != null) {
        throw new IllegalArgumentException("label repeated, " + where);
      }
      at = label.end();
    }
    return labels;
  }

  private static String render(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    labels.forEach((k, v) -> parts.add(k + "=\"" + v + "\""));
    return "{" + String.join(",", parts) + "}";
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  /** Per series (labels but le): buckets grow, the last is +Inf and equals _count. */
  private static void checkHistogram(Family family) {
    Map<String, List<double[]>> buckets = new LinkedHashMap<>();
    Map<String, Double> counts = new LinkedHashMap<>();
    Pattern le = Pattern.compile("(^|,)le=\"([^\"]*)\"");
    for (Map.Entry<String, Double> sample : family.samples().entrySet()) {
      String key = sample.getKey();
      String labels =
          key.contains("{") ? key.substring(key.indexOf('{') + 1, key.length() - 1) : "";
      if (key.startsWith(family.name() + "_bucket")) {
        Matcher m = le.matcher(labels);
        if (!m.find()) {
          throw new IllegalArgumentException("bucket without le: " + key);
        }
        String rest = labels.replace(m.group(0), "").replaceFirst("^,", "");
        buckets
            .computeIfAbsent(rest, k -> new ArrayList<>())
            .add(new double[] {value(m.group(2)), sample.getValue()});
      } else if (key.startsWith(family.name() + "_count")) {
        counts.put(labels, sample.getValue());
      }
    }
    buckets.forEach(
        (series, list) -> {
          double lastLe = Double.NEGATIVE_INFINITY;
          double lastCount = 0;
          for (double[] bucket : list) {
            if (bucket[0] <= lastLe || bucket[1] < lastCount) {
              throw new IllegalArgumentException(
                  family.name() + "{" + series + "}: buckets out of order or shrinking");
            }
            lastLe = bucket[0];
            lastCount = bucket[1];
          }
          if (lastLe != Double.POSITIVE_INFINITY
              || !Double.valueOf(lastCount).equals(counts.get(series))) {
            throw new IllegalArgumentException(
                family.name() + "{" + series + "}: no +Inf bucket equal to _count");
          }
        });
  }
}
