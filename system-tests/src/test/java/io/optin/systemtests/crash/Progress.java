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
   * the first event, between two events, or from the last to {@code to}.
   */
  Duration longestGap(String kind, long from, long to) {
    ConcurrentLinkedQueue<Long> times = events.get(kind);
    long[] inside =
        LongStream.concat(
                LongStream.of(from, to),
                times == null
                    ? LongStream.empty()
                    : times.stream().mapToLong(Long::longValue).filter(t -> t > from && t < to))
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
