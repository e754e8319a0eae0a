package io.optin.systemtests.fuzz;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts answers by endpoint and status, and failures by kind (keeping the first examples of each),
 * so that a run prints everything it saw before its assertions decide.
 */
final class FuzzReport {

  /** What can go wrong; the test fails when any is counted. */
  enum Kind {
    DROPPED("connection dropped or no complete answer"),
    SERVER_ERROR("answer >= 500"),
    HOSTILE_ACCEPTED("hostile input answered 2xx"),
    UNEXPECTED_STATUS("status other than a hardened server's"),
    NO_JSON_ERROR("4xx on /v1 without a JSON {\"error\":...} body"),
    NO_FIELD("400 not naming the field at fault"),
    INTERNAL_TEXT("answer shows internal exception text"),
    INVALID_ON_TOPIC("record of no valid signup on the signup topic"),
    SLOW_CLIENTS("/health/live not answered within 1 s under slow clients"),
    AFTERWARDS("process not alive or valid flow not confirmed afterwards");

    private final String meaning;

    Kind(String meaning) {
      this.meaning = meaning;
    }
  }

  private static final int EXAMPLES = 20;

  private final Map<String, Map<Integer, AtomicInteger>> byEndpoint = new ConcurrentHashMap<>();
  private final Map<Kind, AtomicInteger> failures = new EnumMap<>(Kind.class);
  private final Map<Kind, List<String>> examples = new EnumMap<>(Kind.class);
  private final Map<Kind, Map<String, AtomicInteger>> whereFailed = new EnumMap<>(Kind.class);
  private final AtomicInteger hostile = new AtomicInteger();
  private final AtomicInteger valid = new AtomicInteger();
  private final AtomicLong slowestMillis = new AtomicLong();
  private final List<String> notes = new ArrayList<>();
  private final List<String> every = new ArrayList<>();

  FuzzReport() {
    for (Kind kind : Kind.values()) {
      failures.put(kind, new AtomicInteger());
      examples.put(kind, new ArrayList<>());
      whereFailed.put(kind, new ConcurrentHashMap<>());
    }
  }

  /** Counts one answer ({@code -1} when dropped). */
  void answered(FuzzInput input, int status, long millis) {
    (input.hostile() ? hostile : valid).incrementAndGet();
    byEndpoint
        .computeIfAbsent(input.endpoint(), e -> new ConcurrentHashMap<>())
        .computeIfAbsent(status, s -> new AtomicInteger())
        .incrementAndGet();
    slowestMillis.accumulateAndGet(millis, Math::max);
  }

  /** Counts a failure of {@code kind} on {@code where} (an endpoint, or a phase of the run). */
  void fail(Kind kind, String where, String example) {
    failures.get(kind).incrementAndGet();
    whereFailed.get(kind).computeIfAbsent(where, w -> new AtomicInteger()).incrementAndGet();
    synchronized (every) {
      every.add(kind + "\t" + where + "\t" + example);
    }
    List<String> kept = examples.get(kind);
    synchronized (kept) {
      if (kept.size() < EXAMPLES) {
        kept.add(example);
      }
    }
  }

  synchronized void note(String line) {
    notes.add(line);
  }

  int failures(Kind kind) {
    return failures.get(kind).get();
  }

  int totalFailures() {
    return failures.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  int inputs() {
    return hostile.get() + valid.get();
  }

  /** Every failure, one a line: kind, where, what was sent and answered. */
  List<String> everyFailure() {
    synchronized (every) {
      return List.copyOf(every);
    }
  }

  void print(PrintStream out, long seed, long millis) {
    out.printf(
        "%nFUZZ seed=%d (-Dfuzz.seed=%d to replay): %d inputs (%d hostile, %d valid) in %.1f s,"
            + " slowest answer %d ms%n",
        seed, seed, inputs(), hostile.get(), valid.get(), millis / 1000.0, slowestMillis.get());
    out.println("Answers by endpoint and status (drop = no complete HTTP answer):");
    int width = byEndpoint.keySet().stream().mapToInt(String::length).max().orElse(10);
    Map<Integer, Integer> totals = new TreeMap<>();
    new TreeMap<>(byEndpoint)
        .forEach(
            (endpoint, statuses) -> {
              Map<Integer, Integer> sorted = new TreeMap<>();
              statuses.forEach((status, count) -> sorted.put(status, count.get()));
              sorted.forEach((status, count) -> totals.merge(status, count, Integer::sum));
              out.printf(
                  "  %-" + width + "s %6d  %s%n",
                  endpoint,
                  sorted.values().stream().mapToInt(Integer::intValue).sum(),
                  statuses(sorted));
            });
    out.printf(
        "  %-" + width + "s %6d  %s%n",
        "TOTAL",
        totals.values().stream().mapToInt(Integer::intValue).sum(),
        statuses(totals));
    notes.forEach(note -> out.println(note));
    out.println("Failures by kind:");
    for (Kind kind : Kind.values()) {
      out.printf("  %-18s %6d  (%s)%n", kind, failures.get(kind).get(), kind.meaning);
      new TreeMap<>(whereFailed.get(kind))
          .forEach((where, count) -> out.printf("      %6d  %s%n", count.get(), where));
    }
    for (Kind kind : Kind.values()) {
      List<String> kept = examples.get(kind);
      if (!kept.isEmpty()) {
        out.printf("First %d %s:%n", kept.size(), kind);
        kept.forEach(example -> out.println("  - " + example));
      }
    }
    out.flush();
  }

  private static String statuses(Map<Integer, Integer> counts) {
    StringBuilder line = new StringBuilder();
    counts.forEach(
        (status, count) ->
            line.append(status < 0 ? "drop" : status.toString())
                .append('=')
                .append(count)
                .append("  "));
    return line.toString().stripTrailing();
  }
}
