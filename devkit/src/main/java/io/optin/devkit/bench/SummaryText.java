package io.optin.devkit.bench;

import java.util.Locale;

/** What the bench prints at the end: the verdict first, then the figures. */
final class SummaryText {

  private SummaryText() {}

  static String render(BenchResult r) {
    StringBuilder s = new StringBuilder();
    BenchResult.Counts c = r.counts();
    BenchResult.Throughput t = r.throughput();
    line(s, "");
    line(
        s,
        "Flows: %d started, %d accepted, %d refused, %d SMS, %d YES answered, %d confirmed,"
            + " %d complete, %d unfinished, %d lost.",
        c.flows(),
        c.accepted(),
        c.refused(),
        c.sms(),
        c.answered(),
        c.confirmed(),
        c.complete(),
        c.unfinished(),
        c.lost());
    line(
        s,
        "Duplicates: %d confirmations, %d code SMS, %d ledger records.",
        c.duplicateConfirmations(),
        c.duplicateSms(),
        c.duplicateLedger());
    line(s, "");
    line(
        s,
        "%-58s %7s %9s %9s %9s %9s %9s",
        "latency (ms)",
        "count",
        "p50",
        "p95",
        "p99",
        "p99.9",
        "max");
    for (LatencySummary h : r.hops()) {
      line(
          s,
          "%-58s %7d %9s %9s %9s %9s %9s",
          h.id() + "  " + shorten(h.label()),
          h.count(),
          ms(h, h.p50()),
          ms(h, h.p95()),
          ms(h, h.p99()),
          ms(h, h.p999()),
          ms(h, h.max()));
    }
    line(s, "");
    line(
        s,
        "Complete flows/s: %s (%d complete in %.1f s from the first signup; offered %s signups/s"
            + " over %.1f s).",
        Numbers.rate(t.completeFlowsPerSecond()),
        c.complete(),
        t.completionSeconds(),
        Numbers.rate(t.offeredPerSecond()),
        t.driveSeconds());
    if (r.baseline() != null) {
      line(
          s,
          "Pass-through baseline (exactly_once_v2, same broker, %d partitions, %d records of %d"
              + " bytes): %s records/s; ratio complete flows/s ÷ records/s = %.4f.",
          r.baseline().partitions(),
          r.baseline().records(),
          r.baseline().recordBytes(),
          Numbers.rate(r.baseline().recordsPerSecond()),
          r.ratio());
    } else {
      line(s, "Pass-through baseline: not measured.");
    }
    BenchResult.Usage u = r.process();
    line(
        s,
        "Process%s: CPU %.1f s from the first signup to the end (%.2f s per 1000 complete flows,"
            + " %d CPUs), RSS %.0f MiB (peak %.0f MiB).",
        u.includesOptin() ? " (bench and embedded optin together)" : " (bench only)",
        u.cpuSeconds(),
        u.cpuSecondsPerThousandFlows(),
        u.cpus(),
        u.rssMiB(),
        u.peakRssMiB());
    line(s, "");
    if (r.passed()) {
      line(s, "PASSED: every flow completed exactly once.");
    } else {
      line(s, "FAILED:");
      r.failures().forEach(f -> line(s, "  - %s", f));
    }
    return s.toString();
  }

  private static String shorten(String label) {
    return label.length() <= 46 ? label : label.substring(0, 45) + "…";
  }

  private static String ms(LatencySummary h, double v) {
    return h.count() == 0 ? "-" : String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.0f", v);
  }

  private static void line(StringBuilder s, String format, Object... args) {
    s.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
