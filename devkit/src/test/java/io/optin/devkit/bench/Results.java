package io.optin.devkit.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** A small, complete result for the writer tests. */
final class Results {

  private Results() {}

  /** A histogram of 1 to {@code n} milliseconds, in microseconds. */
  static Histogram oneToMillis(int n) {
    Histogram micros = LatencySummary.newHistogram();
    for (int ms = 1; ms <= n; ms++) {
      micros.recordValue(ms * 1000L);
    }
    return micros;
  }

  static BenchResult sample(String label, List<String> failures) {
    LatencySummary hop = LatencySummary.of("accepted_to_sms", label, oneToMillis(1000));
    LatencySummary none = LatencySummary.of("end_to_end", "nothing", LatencySummary.newHistogram());
    return new BenchResult(
        "optin bench --flows 3",
        Instant.parse("2026-12-03T10:00:00Z"),
        "embedded",
        Map.of("flows", 3, "via", "http"),
        Map.of("sms.rate.per.second", "10000"),
        new BenchResult.Counts(
            3, 3, 0, 3, 3, 3, 2, 0, 1, 0, 0, 0, Map.of("not confirmed", 1), Map.of(), 0, 0),
        List.of(hop, none),
        new BenchResult.Throughput(
            2.0,
            4.0,
            1.0,
            0.5,
            "QUIET",
            List.of(
                new BenchResult.Second(0, 2, 2, 1, 0, 0, 150.0, 500.0),
                new BenchResult.Second(1, 1, 1, 2, 2, 2, 90.0, 510.0))),
        new BenchResult.Baseline("in", 6, 1000, 296, 0.5, 2000.0),
        new BenchResult.Usage(12.5, 6250, 510, 520, 2, true),
        failures);
  }
}
