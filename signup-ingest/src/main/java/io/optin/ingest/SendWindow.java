package io.optin.ingest;

import java.time.Instant;
import java.util.Arrays;

/**
 * The codes sent to one number prefix and the confirmations, over the last hour, in sixty
 * one-minute buckets: an event counts from its minute until sixty minutes later (so for 59 to 60
 * minutes). Fixed size whatever the volume (under a kilobyte); events out of order land in their
 * own minute; events from the future count as now. Not thread-safe: {@link PumpingGuard} holds the
 * lock.
 */
final class SendWindow {

  static final int MINUTES = 60;
  private static final long EMPTY = Long.MIN_VALUE;

  /** The epoch minute each slot counts, or {@link #EMPTY}; slot = minute mod 60. */
  private final long[] minutes = new long[MINUTES];

  private final int[] sends = new int[MINUTES];
  private final int[] confirmed = new int[MINUTES];

  SendWindow() {
    Arrays.fill(minutes, EMPTY);
  }

  /** The counts of one hour. */
  record Counts(long sends, long confirmed) {}

  /** One code sent at {@code at}; nothing when {@code at} is an hour or more before {@code now}. */
  void sent(Instant at, Instant now) {
    int slot = slotFor(at, now);
    if (slot >= 0) {
      sends[slot]++;
    }
  }

  /**
   * One code confirmed at {@code at}; nothing when {@code at} is an hour or more before {@code
   * now}.
   */
  void confirmed(Instant at, Instant now) {
    int slot = slotFor(at, now);
    if (slot >= 0) {
      confirmed[slot]++;
    }
  }

  /** Codes sent and confirmed in the hour ending at {@code now}. */
  Counts counts(Instant now) {
    long current = minuteOf(now);
    long sent = 0;
    long confirmations = 0;
    for (int slot = 0; slot < MINUTES; slot++) {
      if (inHour(minutes[slot], current)) {
        sent += sends[slot];
        confirmations += confirmed[slot];
      }
    }
    return new Counts(sent, confirmations);
  }

  /** Whether nothing of the last hour is left, so the window can be forgotten. */
  boolean isEmpty(Instant now) {
    long current = minuteOf(now);
    return Arrays.stream(minutes).noneMatch(minute -> inHour(minute, current));
  }

  /**
   * The slot of the event's minute, emptied first when it still counts an older minute; -1 when too
   * old.
   */
  private int slotFor(Instant at, Instant now) {
    long current = minuteOf(now);
    long minute = Math.min(minuteOf(at), current);
    if (!inHour(minute, current)) {
      return -1;
    }
    int slot = (int) Math.floorMod(minute, (long) MINUTES);
    if (minutes[slot] != minute) {
      minutes[slot] = minute;
      sends[slot] = 0;
      confirmed[slot] = 0;
    }
    return slot;
  }

  private static boolean inHour(long minute, long current) {
    return minute != EMPTY && minute <= current && minute > current - MINUTES;
  }

  private static long minuteOf(Instant instant) {
    return Math.floorDiv(instant.getEpochSecond(), 60L);
  }
}
