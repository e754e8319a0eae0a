package io.optin.kit.streams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * The failure policy of every Streams app: a dead stream thread is replaced at most {@code
 * maxReplacements} times within any sliding {@code window}, each replacement after a backoff that
 * doubles (from {@code firstBackoff} up to {@code maxBackoff}); the next death past that budget
 * exhausts it for good and the client must be shut down.
 *
 * <p>Pure: time comes from the clock it is given, and it only decides. Thread-safe: Kafka Streams
 * calls the uncaught-exception handler on each dying thread, so several may ask at once.
 */
public final class RestartBudget {

  /** Three replacements in five minutes: enough for a registry or broker blip, not for a bug. */
  public static final int DEFAULT_MAX_REPLACEMENTS = 3;

  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
  public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofSeconds(2);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

  private final int maxReplacements;
  private final Duration window;
  private final Duration firstBackoff;
  private final Duration maxBackoff;
  private final Clock clock;
  private final Deque<Instant> replacements = new ArrayDeque<>();
  private boolean exhausted;

  /**
   * @param maxReplacements replacements allowed within any {@code window} (0: none, the first death
   *     shuts the client down)
   * @param firstBackoff the wait before the first replacement of a window; each next one waits
   *     twice as long, at most {@code maxBackoff}
   */
  public RestartBudget(
      int maxReplacements,
      Duration window,
      Duration firstBackoff,
      Duration maxBackoff,
      Clock clock) {
    if (maxReplacements < 0) {
      throw new IllegalArgumentException("maxReplacements must be >= 0: " + maxReplacements);
    }
    this.maxReplacements = maxReplacements;
    this.window = positive(window, "window");
    this.firstBackoff = notNegative(firstBackoff, "firstBackoff");
    this.maxBackoff = notNegative(maxBackoff, "maxBackoff");
    if (maxBackoff.compareTo(firstBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff " + maxBackoff + " is shorter than firstBackoff " + firstBackoff);
    }
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** 3 replacements in 5 minutes, after 2 s, 4 s, 8 s. */
  public static RestartBudget defaults() {
    return new RestartBudget(
        DEFAULT_MAX_REPLACEMENTS,
        DEFAULT_WINDOW,
        DEFAULT_FIRST_BACKOFF,
        DEFAULT_MAX_BACKOFF,
        Clock.systemUTC());
  }

  /**
   * A stream thread died: whether to replace it, and after which backoff. Once a death finds the
   * budget spent, every later one is told to shut down too.
   */
  public synchronized Decision onThreadDeath() {
    if (exhausted) {
      return Decision.shutDown(replacements.size());
    }
    Instant now = clock.instant();
    Instant windowStart = now.minus(window);
    while (!replacements.isEmpty() && !replacements.peekFirst().isAfter(windowStart)) {
      replacements.removeFirst();
    }
    if (replacements.size() >= maxReplacements) {
      exhausted = true;
      return Decision.shutDown(replacements.size());
    }
    Duration backoff = backoff(replacements.size());
    replacements.addLast(now);
    return Decision.replace(replacements.size(), backoff);
  }

  /** A budget of the same size and clock with no replacement counted yet: one per Streams app. */
  public RestartBudget fresh() {
    return new RestartBudget(maxReplacements, window, firstBackoff, maxBackoff, clock);
  }

  /** Whether a death has found the budget spent (the client is, or is being, shut down). */
  public synchronized boolean exhausted() {
    return exhausted;
  }

  public int maxReplacements() {
    return maxReplacements;
  }

  public Duration window() {
    return window;
  }

  private Duration backoff(int earlierInWindow) {
    Duration backoff = firstBackoff;
    for (int i = 0; i < earlierInWindow && backoff.compareTo(maxBackoff) < 0; i++) {
      backoff = backoff.multipliedBy(2);
    }
    return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
  }

  @Override
  public String toString() {
    return maxReplacements + " replacements in " + window;
  }

  private static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  private static Duration notNegative(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + value);
    }
    return value;
  }

  /**
   * What to do with a dead thread.
   *
   * @param replace true: wait {@code backoff}, then replace the thread; false: shut the client down
   * @param replacementsInWindow replacements within the window, this one included
   * @param backoff the wait before the replacement ({@link Duration#ZERO} when shutting down)
   */
  public record Decision(boolean replace, int replacementsInWindow, Duration backoff) {

    static Decision replace(int replacementsInWindow, Duration backoff) {
      return new Decision(true, replacementsInWindow, backoff);
    }

    static Decision shutDown(int replacementsInWindow) {
      return new Decision(false, replacementsInWindow, Duration.ZERO);
    }
  }
}
