package io.optin.kit.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes durations the way people type them: {@code 500ms}, {@code 30s}, {@code 10m},
 * {@code 1h}, {@code 2d} or ISO-8601 {@code PT10M}.
 */
public final class DurationText {

  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private DurationText() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException with the reason, when the text is not a non-negative duration
   */
  public static Duration parse(String text) {
    String trimmed = text.trim();
    Duration duration;
    try {
      duration = trimmed.regionMatches(true, 0, "P", 0, 1) ? iso(trimmed) : shortForm(trimmed);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large a duration");
    }
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          "'" + text + "' is negative; durations must be zero or more");
    }
    return duration;
  }

  /**
   * The shortest exact form: {@code 600000 ms} gives {@code 10m}, {@code 90 s} gives {@code 90s}.
   */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis != 0 && millis % Duration.ofDays(1).toMillis() == 0) {
      return duration.toDays() + "d";
    }
    if (millis != 0 && millis % Duration.ofHours(1).toMillis() == 0) {
      return duration.toHours() + "h";
    }
    if (millis != 0 && millis % Duration.ofMinutes(1).toMillis() == 0) {
      return duration.toMinutes() + "m";
    }
    if (millis % 1000 == 0) {
      return duration.toSeconds() + "s";
    }
    return millis + "ms";
  }

  private static Duration iso(String text) {
    try {
      return Duration.parse(text.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(expected(text));
    }
  }

  private static Duration shortForm(String text) {
    Matcher matcher = SHORT.matcher(text.toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw new IllegalArgumentException(expected(text));
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  private static String expected(String text) {
    return "'"
        + text
        + "' is not a duration (expected a number with a unit: 500ms, 30s, 10m, 1h, 2d, or ISO-8601 like PT10M)";
  }
}
