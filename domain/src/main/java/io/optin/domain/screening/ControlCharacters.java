package io.optin.domain.screening;

import java.util.Map;
import java.util.Optional;

/**
 * Text taken from outside holds no control character but tab, CR and LF: no other C0 control, no
 * DEL, no C1 control (U+0080..U+009F). NUL, ESC and the rest would reach logs, exports and
 * terminals raw (escape-sequence injection); a one-line value (an id, a locale) holds none at all.
 */
public final class ControlCharacters {

  /** What replaces a control character in a value that is kept rather than refused. */
  public static final char REPLACEMENT = '\uFFFD';

  private ControlCharacters() {}

  /** Whether {@code c} is a control character that no text field may hold. */
  public static boolean isForbidden(int c) {
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F);
  }

  /** Whether {@code c} is any control character: C0 (tab, CR and LF included), DEL or C1. */
  public static boolean isControl(int c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
  }

  /** Whether the text (null counts as clean) holds no forbidden control character. */
  public static boolean isClean(String text) {
    return text == null || text.chars().noneMatch(ControlCharacters::isForbidden);
  }

  /** Whether the text (null counts as clean) holds no control character at all. */
  public static boolean isCleanLine(String text) {
    return text == null || text.chars().noneMatch(ControlCharacters::isControl);
  }

  /**
   * The first of {@code names} whose value in {@code fields} holds a control character, tab and
   * line breaks allowed only around it (where they are trimmed); empty when all are clean.
   */
  public static Optional<String> firstUncleanLine(Map<String, String> fields, String... names) {
    for (String name : names) {
      String value = fields.get(name);
      if (!isClean(value) || !isCleanLine(value == null ? null : value.strip())) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }

  /**
   * The text with each forbidden control character replaced by {@link #REPLACEMENT}; for text that
   * must be kept (a reply Twilio signed) but not stored raw. Null stays null.
   */
  public static String neutralised(String text) {
    if (isClean(text)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    text.chars().forEach(c -> out.append(isForbidden(c) ? REPLACEMENT : (char) c));
    return out.toString();
  }
}
