package io.optin.devkit.demo;

import io.optin.avro.ConsentEventType;
import io.optin.devkit.demo.DemoSummary.Mismatch;
import io.optin.devkit.demo.DemoSummary.PathResult;
import io.optin.devkit.demo.LatencyRecorder.Percentiles;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a {@link DemoSummary} as the text {@code optin demo} ends with: the per-path table
 * (OBSERVED counts the subscribers whose outcome on the topics was the expected one), the
 * subscribers that were not, latency percentiles, the consent audit, timings and the verdict.
 */
public final class SummaryTable {

  /** Beyond this many, mismatches are counted rather than listed. */
  static final int MAX_MISMATCHES_LISTED = 20;

  private SummaryTable() {}

  public static String render(DemoSummary summary) {
    StringBuilder out = new StringBuilder();
    int pathWidth = "TOTAL".length();
    int expectedWidth = "EXPECTED OUTCOME".length();
    for (PathResult row : summary.paths()) {
      pathWidth = Math.max(pathWidth, row.path().label().length());
      expectedWidth = Math.max(expectedWidth, row.path().expected().length());
    }
    String rowFormat = "%-" + pathWidth + "s  %6s  %-" + expectedWidth + "s  %8s  %s%n";
    out.append(line(rowFormat, "PATH", "DRIVEN", "EXPECTED OUTCOME", "OBSERVED", "RESULT"));
    for (PathResult row : summary.paths()) {
      out.append(
          line(
              rowFormat,
              row.path().label(),
              row.driven(),
              row.path().expected(),
              row.matched(),
              verdict(row.ok())));
    }
    out.append(
        line(
            rowFormat,
            "TOTAL",
            summary.driven(),
            "",
            summary.matched(),
            verdict(summary.driven() == summary.matched())));
    mismatches(summary, out);
    out.append(System.lineSeparator());
    latencies(summary, out);
    out.append(System.lineSeparator());
    out.append(audit(summary)).append(System.lineSeparator());
    out.append(
        line(
            "Confirmations of no demo subscriber: %d. Dead letters: %d.%n",
            summary.unplannedConfirmations(), summary.deadLetters()));
    out.append(
        line(
            "Confirmation window %s. Stack started in %s; wall time %s.%n",
            duration(summary.window()), duration(summary.startup()), duration(summary.wall())));
    out.append(
        summary.passed()
            ? line("PASSED: all %d subscribers ended as their path requires.%n", summary.driven())
            : line(
                "FAILED: %d of %d subscribers did not end as their path requires%s.%n",
                summary.driven() - summary.matched(), summary.driven(), failureDetail(summary)));
    return out.toString();
  }

  private static void mismatches(DemoSummary summary, StringBuilder out) {
    if (summary.mismatches().isEmpty()) {
      return;
    }
    out.append(System.lineSeparator()).append("Not as expected:").append(System.lineSeparator());
    summary.mismatches().stream()
        .limit(MAX_MISMATCHES_LISTED)
        .forEach(
            (Mismatch m) ->
                out.append(
                    line(
                        "  #%d %s, %s %s: %s%n",
                        m.subscriber().number(),
                        m.subscriber().path().label(),
                        m.subscriber().phone(),
                        m.subscriber().programId(),
                        m.observed())));
    int unlisted = summary.mismatches().size() - MAX_MISMATCHES_LISTED;
    if (unlisted > 0) {
      out.append(line("  ... and %d more%n", unlisted));
    }
  }

  private static void latencies(DemoSummary summary, StringBuilder out) {
    String format = "%-31s  %5s  %8s  %8s  %8s  %8s%n";
    out.append(line(format, "LATENCY", "COUNT", "P50", "P95", "P99", "MAX"));
    latency(out, format, "signup accepted -> SMS at phone", summary.signupToSms());
    latency(out, format, "answer sent -> confirmation", summary.answerToConfirmation());
  }

  private static void latency(StringBuilder out, String format, String name, Percentiles p) {
    if (p.count() == 0) {
      out.append(line(format, name, 0, "-", "-", "-", "-"));
      return;
    }
    out.append(
        line(
            format,
            name,
            p.count(),
            duration(p.p50()),
            duration(p.p95()),
            duration(p.p99()),
            duration(p.max())));
  }

  static String audit(DemoSummary summary) {
    Map<ConsentEventType, Integer> audit = summary.audit();
    String chain = "Audit chain: " + summary.auditChain().description() + ".";
    if (audit.isEmpty()) {
      return "Consent audit: no records. " + chain;
    }
    int total = audit.values().stream().mapToInt(Integer::intValue).sum();
    String perType =
        audit.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "));
    return line("Consent audit: %d records (%s). %s", total, perType, chain);
  }

  private static String failureDetail(DemoSummary summary) {
    StringBuilder detail = new StringBuilder();
    if (summary.unplannedConfirmations() > 0) {
      detail
          .append("; ")
          .append(summary.unplannedConfirmations())
          .append(" confirmations of no demo subscriber");
    }
    if (summary.auditChain().broken()) {
      detail.append("; the audit chain is broken");
    }
    return detail.toString();
  }

  private static String verdict(boolean ok) {
    return ok ? "OK" : "MISMATCH";
  }

  /** Milliseconds below a second, else seconds with one decimal. */
  static String duration(Duration d) {
    long millis = d.toMillis();
    return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static String line(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
