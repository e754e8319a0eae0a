package io.optin.systemtests.crash;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.LongStream;

/**
 * When each kind of progress happened (a signup accepted, a code SMS received, an answer with its
 * outcome), to measure how long a fault stopped it: the longest time without any such event in a
 * window.
 */
final class Progress {

  private final Map<String, ConcurrentLinkedQueue<Long>> events = new ConcurrentHashMap<>();

  void record(String kind) {
    events.computeIfAbsent(kind, k -> new ConcurrentLinkedQueue<>()).add(System.nanoTime());
  }

  int count(String kind) {
    ConcurrentLinkedQueue<Long> times = events.get(kind);
    return times == null ? 0 : times.size();
  }

  /** Events of this kind since {@code nanoTime}. */
  long countSince(String kind, long nanoTime) {
    ConcurrentLinkedQueue<Long> times = events.get(kind);
    return times == null ? 0 : times.stream().filter(t -> t >= nanoTime).count();
  }

  /**
   * The longest stretch of {@code [from, to)} without an event of this kind: from {@code from} to
   * the first event, between two events, or from the last to {@code to} (unless no event of this
   * kind came after it at all).
   */
  Duration longestGap(String kind, long from, long to) {
    ConcurrentLinkedQueue<Long> times = events.get(kind);
    // Once the last event of the run has happened, nothing is left to wait for: no stall.
    long last = times == null ? from : times.stream().mapToLong(Long::longValue).max().orElse(from);
    long end = Math.max(from, Math.min(to, last));
    long[] inside =
        LongStream.concat(
                LongStream.of(from, end),
                times == null
                    ? LongStream.empty()
                    : times.stream().mapToLong(Long::longValue).filter(t -> t > from && t < end))
            .sorted()
            .toArray();
    long longest = 0;
    for (int i = 1; i < inside.length; i++) {
      longest = Math.max(longest, inside[i] - inside[i - 1]);
    }
    return Duration.ofNanos(longest);
  }

  List<String> kinds() {
    return events.keySet().stream().sorted().toList();
  }
}
