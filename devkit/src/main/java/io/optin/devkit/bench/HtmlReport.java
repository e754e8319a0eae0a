package io.optin.devkit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;

/**
 * report.html: one self-contained page (inline CSS and SVG, no script, nothing fetched from
 * anywhere) with the verdict, the counts, the per-hop percentiles and their curves, throughput per
 * second and the process's CPU and memory over the run. Every text that comes from the run is
 * escaped.
 */
final class HtmlReport {

  private static final String[] COLORS = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"
  };
  private static final int WIDTH = 760;
  private static final int HEIGHT = 320;
  private static final int LEFT = 64;
  private static final int RIGHT = 170;
  private static final int TOP = 16;
  private static final int BOTTOM = 40;

  private HtmlReport() {}

  /** {@code text} safe inside HTML and SVG text and attribute values. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static String render(BenchResult r) {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>optin bench ")
        .append(escape(r.startedAt().toString()))
        .append("</title><style>")
        .append("body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:1000px;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
        .append("th{background:#f4f4f4}td.l,th.l{text-align:left}")
        .append(".pass{color:#2a7a2a}.fail{color:#b00}code{background:#f4f4f4;padding:1px 4px}")
        .append("svg{background:#fff;border:1px solid #ddd}")
        .append("</style></head><body>\n");
    h.append("<h1>optin bench</h1>\n<p><code>")
        .append(escape(r.command()))
        .append("</code><br>started ")
        .append(escape(r.startedAt().toString()))
        .append(" on ")
        .append(escape(r.target()))
        .append("</p>\n");
    if (r.passed()) {
      h.append("<p class=\"pass\"><b>PASSED</b>: every flow completed exactly once.</p>\n");
    } else {
      h.append("<p class=\"fail\"><b>FAILED</b></p><ul class=\"fail\">");
      r.failures().forEach(f -> h.append("<li>").append(escape(f)).append("</li>"));
      h.append("</ul>\n");
    }
    headline(h, r);
    counts(h, r.counts());
    hops(h, r.hops());
    h.append("<h2>Latency by percentile</h2>\n")
        .append(latencyChart(r.hops()))
        .append("<p>Each line is one hop; the x axis stretches the tail (90, 99, 99.9…).</p>\n");
    h.append("<h2>Throughput per second</h2>\n").append(throughputChart(r.throughput()));
    h.append("<h2>Process CPU and memory</h2>\n").append(processChart(r.throughput()));
    settings(h, r);
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void headline(StringBuilder h, BenchResult r) {
    BenchResult.Throughput t = r.throughput();
    h.append("<table><tr><th class=\"l\">figure</th><th>value</th></tr>");
    row(h, "complete flows/s", Numbers.rate(t.completeFlowsPerSecond()));
    row(h, "signups offered/s", Numbers.rate(t.offeredPerSecond()));
    if (r.baseline() != null) {
      row(
          h,
          "pass-through records/s (exactly_once_v2, same broker)",
          Numbers.rate(r.baseline().recordsPerSecond()));
      row(h, "ratio complete flows/s ÷ pass-through records/s", ratio(r.ratio()));
    } else {
      row(h, "pass-through baseline", "not run");
    }
    BenchResult.Usage u = r.process();
    row(h, "process CPU time", String.format(Locale.ROOT, "%.1f s", u.cpuSeconds()));
    row(
        h,
        "process RSS (end / peak)",
        String.format(Locale.ROOT, "%.0f / %.0f MiB", u.rssMiB(), u.peakRssMiB()));
    row(h, "drain ended", t.drainEnd());
    h.append("</table>\n");
  }

  private static void counts(StringBuilder h, BenchResult.Counts c) {
    h.append("<h2>Flows</h2><table><tr><th class=\"l\">count</th><th>flows</th></tr>");
    row(h, "started", Integer.toString(c.flows()));
    row(h, "accepted", Integer.toString(c.accepted()));
    row(h, "refused (non-202 or no answer)", Integer.toString(c.refused()));
    row(h, "code SMS at the provider", Integer.toString(c.sms()));
    row(h, "YES answered", Integer.toString(c.answered()));
    row(h, "confirmed", Integer.toString(c.confirmed()));
    row(h, "complete (confirmed and in the ledger)", Integer.toString(c.complete()));
    row(h, "unfinished (backlog at the end)", Integer.toString(c.unfinished()));
    row(h, "lost", Integer.toString(c.lost()));
    row(h, "duplicate confirmations", Integer.toString(c.duplicateConfirmations()));
    row(h, "duplicate code SMS", Integer.toString(c.duplicateSms()));
    row(h, "duplicate ledger CONFIRMED", Integer.toString(c.duplicateLedger()));
    new TreeMap<>(c.stuck()).forEach((at, n) -> row(h, "stopped at: " + at, Integer.toString(n)));
    new TreeMap<>(c.refusedBy())
        .forEach((why, n) -> row(h, "refused: " + why, Integer.toString(n)));
    h.append("</table>\n");
  }

  private static void hops(StringBuilder h, List<LatencySummary> hops) {
    h.append("<h2>Latency per hop (ms)</h2><table><tr><th class=\"l\">hop</th><th>count</th>")
        .append("<th>p50</th><th>p95</th><th>p99</th><th>p99.9</th><th>max</th></tr>");
    for (LatencySummary s : hops) {
      h.append("<tr><td class=\"l\">")
          .append(escape(s.label()))
          .append("</td><td>")
          .append(s.count());
      for (double v : new double[] {s.p50(), s.p95(), s.p99(), s.p999(), s.max()}) {
        h.append("</td><td>").append(s.count() == 0 ? "–" : ms(v));
      }
      h.append("</td></tr>");
    }
    h.append("</table>\n");
  }

  private static void settings(StringBuilder h, BenchResult r) {
    h.append("<h2>Options and settings</h2><table><tr><th class=\"l\">option</th>")
        .append("<th class=\"l\">value</th></tr>");
    new TreeMap<>(r.options()).forEach((k, v) -> rowLeft(h, k, String.valueOf(v)));
    new TreeMap<>(r.settings()).forEach((k, v) -> rowLeft(h, "setting " + k, v));
    h.append("</table>\n");
  }

  private static void row(StringBuilder h, String name, String value) {
    h.append("<tr><td class=\"l\">")
        .append(escape(name))
        .append("</td><td>")
        .append(escape(value))
        .append("</td></tr>");
  }

  private static void rowLeft(StringBuilder h, String name, String value) {
    h.append("<tr><td class=\"l\">")
        .append(escape(name))
        .append("</td><td class=\"l\">")
        .append(escape(value))
        .append("</td></tr>");
  }

  /** A line: its name and its (x, y) points in data units. */
  record Series(String name, List<double[]> points) {}

  /** Percentile on a "nines" axis: 0 → 0, 90 → 1, 99 → 2, 99.9 → 3, capped at 100 → 5.3. */
  static double nines(double percentile) {
    return percentile >= 100 ? 5.3 : Math.min(5.3, Math.log10(100 / (100 - percentile)));
  }

  static String latencyChart(List<LatencySummary> hops) {
    List<Series> series = new ArrayList<>();
    double min = Double.MAX_VALUE;
    double max = 0;
    for (LatencySummary hop : hops) {
      List<double[]> points = new ArrayList<>();
      for (LatencySummary.Point p : hop.distribution()) {
        double ms = Math.max(0.01, p.millis());
        points.add(new double[] {nines(p.percentile()), ms});
        min = Math.min(min, ms);
        max = Math.max(max, ms);
      }
      if (!points.isEmpty()) {
        series.add(new Series(hop.id(), points));
      }
    }
    if (series.isEmpty()) {
      return "<p>No latency recorded.</p>\n";
    }
    double lo = Math.floor(Math.log10(min));
    double hi = Math.max(lo + 1, Math.ceil(Math.log10(max)));
    Map<Double, String> xTicks = new TreeMap<>();
    for (double[] tick :
        new double[][] {{0, 0}, {1, 90}, {2, 99}, {3, 99.9}, {4, 99.99}, {5.3, 100}}) {
      xTicks.put(tick[0], tick[1] == 100 ? "max" : Numbers.compact(tick[1]) + "%");
    }
    Map<Double, String> yTicks = new TreeMap<>();
    for (double e = lo; e <= hi; e++) {
      yTicks.put(e, Numbers.compact(Math.pow(10, e)) + " ms");
    }
    return chart(
        "latency by percentile, log scale",
        series,
        0,
        5.3,
        lo,
        hi,
        x -> x,
        Math::log10,
        xTicks,
        yTicks);
  }

  static String throughputChart(BenchResult.Throughput t) {
    List<BenchResult.Second> seconds = t.timeline();
    if (seconds.isEmpty()) {
      return "<p>No throughput recorded.</p>\n";
    }
    List<Series> series = new ArrayList<>();
    String[] names = {
      "signups sent/s", "accepted/s", "SMS at provider/s", "confirmed/s", "complete/s"
    };
    double max = 1;
    for (int k = 0; k < names.length; k++) {
      List<double[]> points = new ArrayList<>();
      for (BenchResult.Second s : seconds) {
        int value =
            switch (k) {
              case 0 -> s.sent();
              case 1 -> s.accepted();
              case 2 -> s.sms();
              case 3 -> s.confirmed();
              default -> s.complete();
            };
        points.add(new double[] {s.second() + 0.5, value});
        max = Math.max(max, value);
      }
      series.add(new Series(names[k], points));
    }
    return timeChart("per second", series, seconds.size(), niceCeiling(max), "");
  }

  static String processChart(BenchResult.Throughput t) {
    List<BenchResult.Second> seconds = t.timeline();
    if (seconds.isEmpty()) {
      return "<p>No samples.</p>\n";
    }
    List<double[]> cpu = new ArrayList<>();
    List<double[]> rss = new ArrayList<>();
    double max = 100;
    for (BenchResult.Second s : seconds) {
      cpu.add(new double[] {s.second() + 0.5, s.cpuPercent()});
      rss.add(new double[] {s.second() + 0.5, s.rssMiB()});
      max = Math.max(max, Math.max(s.cpuPercent(), s.rssMiB()));
    }
    return timeChart(
        "CPU % of one core, RSS MiB",
        List.of(new Series("CPU %", cpu), new Series("RSS MiB", rss)),
        seconds.size(),
        niceCeiling(max),
        "");
  }

  private static String timeChart(
      String title, List<Series> series, int seconds, double yMax, String unit) {
    Map<Double, String> xTicks = new TreeMap<>();
    int step = Math.max(1, niceStep(seconds / 8.0));
    for (int s = 0; s <= seconds; s += step) {
      xTicks.put((double) s, s + " s");
    }
    Map<Double, String> yTicks = new TreeMap<>();
    double yStep = niceStep(yMax / 5);
    for (double y = 0; y <= yMax + 1e-9; y += yStep) {
      yTicks.put(y, Numbers.compact(y) + unit);
    }
    return chart(title, series, 0, Math.max(1, seconds), 0, yMax, x -> x, y -> y, xTicks, yTicks);
  }

  private static String chart(
      String title,
      List<Series> series,
      double xMin,
      double xMax,
      double yMin,
      double yMax,
      DoubleUnaryOperator xScale,
      DoubleUnaryOperator yScale,
      Map<Double, String> xTicks,
      Map<Double, String> yTicks) {
    double plotWidth = WIDTH - LEFT - RIGHT;
    double plotHeight = HEIGHT - TOP - BOTTOM;
    DoubleUnaryOperator px = x -> LEFT + (x - xMin) / (xMax - xMin) * plotWidth;
    DoubleUnaryOperator py = y -> TOP + plotHeight - (y - yMin) / (yMax - yMin) * plotHeight;
    StringBuilder s = new StringBuilder();
    s.append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                    + "viewBox=\"0 0 %d %d\" role=\"img\"><title>%s</title>",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT,
                escape(title)))
        .append("<g font-size=\"11\" fill=\"#444\">");
    xTicks.forEach(
        (x, label) -> {
          double at = px.applyAsDouble(x);
          s.append(line(at, TOP, at, TOP + plotHeight, "#eee"))
              .append(text(at, TOP + plotHeight + 16, "middle", label));
        });
    yTicks.forEach(
        (y, label) -> {
          double at = py.applyAsDouble(y);
          s.append(line(LEFT, at, LEFT + plotWidth, at, "#eee"))
              .append(text(LEFT - 6, at + 4, "end", label));
        });
    s.append(line(LEFT, TOP, LEFT, TOP + plotHeight, "#888"))
        .append(line(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight, "#888"));
    for (int i = 0; i < series.size(); i++) {
      Series line = series.get(i);
      String color = COLORS[i % COLORS.length];
      StringBuilder points = new StringBuilder();
      for (double[] p : line.points()) {
        double x = px.applyAsDouble(xScale.applyAsDouble(p[0]));
        double y = py.applyAsDouble(Math.max(yMin, Math.min(yMax, yScale.applyAsDouble(p[1]))));
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      s.append("<polyline fill=\"none\" stroke-width=\"1.6\" stroke=\"")
          .append(color)
          .append("\" points=\"")
          .append(points.toString().trim())
          .append("\"/>");
      double legendY = TOP + 14 + i * 16;
      s.append(line(WIDTH - RIGHT + 10, legendY - 4, WIDTH - RIGHT + 28, legendY - 4, color))
          .append(text(WIDTH - RIGHT + 32, legendY, "start", line.name()));
    }
    s.append("</g></svg>\n");
    return s.toString();
  }

  private static String line(double x1, double y1, double x2, double y2, String color) {
    return String.format(
        Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>",
        x1,
        y1,
        x2,
        y2,
        color);
  }

  private static String text(double x, double y, String anchor, String text) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>",
        x,
        y,
        anchor,
        escape(text));
  }

  private static String ms(double v) {
    return v < 10 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String ratio(Double ratio) {
    return ratio == null ? "–" : String.format(Locale.ROOT, "%.4f (1/%.1f)", ratio, 1 / ratio);
  }

  /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
  static int niceStep(double raw) {
    if (raw <= 1) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    for (int m : new int[] {1, 2, 5, 10}) {
      if (m * magnitude >= raw) {
        return (int) (m * magnitude);
      }
    }
    return (int) (10 * magnitude);
  }

  private static double niceCeiling(double max) {
    int step = niceStep(max / 5);
    return Math.ceil(max / step) * step;
  }
}
