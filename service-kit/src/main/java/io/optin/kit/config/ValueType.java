package io.optin.kit.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * How the text of a setting becomes a typed value and back.
 *
 * <p>{@link #parse} throws {@link IllegalArgumentException} whose message is the reason, phrased to
 * follow "setting=value from source: ".
 */
public interface ValueType<T> {

  /** Text as typed in a file or a variable; surrounding spaces are ignored. */
  ValueType<String> STRING = of("string", text -> text, value -> value);

  /** A decimal {@code int}. */
  ValueType<Integer> INTEGER = of("integer", ValueType::parseInt, String::valueOf);

  /** {@code true} or {@code false}, any case. */
  ValueType<Boolean> BOOLEAN = of("boolean", ValueType::parseBoolean, String::valueOf);

  /**
   * A non-negative duration: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 2d} or
   * {@code PT10M}.
   */
  ValueType<Duration> DURATION = of("duration", DurationText::parse, DurationText::format);

  /** A duration, or {@code infinite} (kept forever, Kafka's {@code retention.ms=-1}). */
  ValueType<Duration> RETENTION =
      of("duration or infinite", ValueType::parseRetention, ValueType::formatRetention);

  /**
   * Comma-separated values; blanks between commas are dropped, so an empty text is an empty list.
   */
  ValueType<List<String>> LIST =
      of("comma-separated list", ValueType::parseList, list -> String.join(",", list));

  /** Kafka's retention meaning "forever". */
  Duration INFINITE = Duration.ofMillis(-1);

  /** Short name used in the settings reference: {@code integer}, {@code duration}... */
  String name();

  T parse(String text);

  String format(T value);

  static <T> ValueType<T> of(
      String name, Function<String, T> parser, Function<T, String> formatter) {
    return new ValueType<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public T parse(String text) {
        return parser.apply(text.trim());
      }

      @Override
      public String format(T value) {
        return formatter.apply(value);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  private static Integer parseInt(String text) {
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a whole number");
    }
  }

  private static Boolean parseBoolean(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.equals("true") || lower.equals("false")) {
      return Boolean.valueOf(lower);
    }
    throw new IllegalArgumentException("'" + text + "' is not true or false");
  }

  private static Duration parseRetention(String text) {
    return text.equalsIgnoreCase("infinite") ? INFINITE : DurationText.parse(text);
  }

  private static String formatRetention(Duration value) {
    return value.isNegative() ? "infinite" : DurationText.format(value);
  }

  private static List<String> parseList(String text) {
    return Arrays.stream(text.split(","))
        .map(String::trim)
        .filter(item -> !item.isEmpty())
        .toList();
  }
}
