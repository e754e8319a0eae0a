package io.optin.devkit.bench;

import java.util.Locale;

/** Figures as the bench prints them: no trailing zeros, milliseconds with sensible precision. */
final class Numbers {

  private Numbers() {}

  /** {@code 200} for 200.0, {@code 12.5} for 12.5. */
  static String compact(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.3f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  /** Milliseconds: {@code 0.412 ms}, {@code 12.3 ms}, {@code 1,234 ms}. */
  static String millis(double ms) {
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.3f ms", ms);
    }
    if (ms < 1000) {
      return String.format(Locale.ROOT, "%.1f ms", ms);
    }
    return String.format(Locale.ROOT, "%,.0f ms", ms);
  }

  /** One decimal, grouped: {@code 1,234.5}. */
  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.1f", perSecond);
  }
}
