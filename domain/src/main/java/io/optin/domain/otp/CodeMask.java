package io.optin.domain.otp;

/**
 * Masks, in free text, every group of digits that could be a code: a run of at least the code
 * length of digits, separators allowed between them (so "123 456" and "123-456" are caught, as the
 * reply parser accepts them as codes). Longer runs are masked too: a code mistyped with an extra
 * digit still reveals the code. Every digit becomes {@code *}; separators and other text stay, for
 * audit text.
 *
 * <p>One left-to-right scan, linear in the text: an SMS body is attacker-chosen, and a regular
 * expression with nested quantifiers recursed once per digit and overflowed the stack on a long run
 * of digits.
 */
public final class CodeMask {

  private final int codeLength;

  /**
   * @param codeLength digits of a code, 4–10 (setting {@code otp.length})
   */
  public CodeMask(int codeLength) {
    this.codeLength = OtpCodes.checkLength(codeLength);
  }

  /** The text with code-like digit groups masked; {@code null} stays {@code null}. */
  public String mask(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder masked = null;
    int copied = 0;
    int i = 0;
    while (i < text.length()) {
      int c = text.codePointAt(i);
      if (!Character.isDigit(c)) {
        i += Character.charCount(c);
        continue;
      }
      // A group: a digit, then any number of (separators, digit); it ends after its last digit.
      int start = i;
      int end = i + Character.charCount(c);
      int digits = 1;
      int scan = end;
      while (scan < text.length()) {
        int next = text.codePointAt(scan);
        if (Character.isDigit(next)) {
          digits++;
          scan += Character.charCount(next);
          end = scan;
        } else if (isSeparator(next)) {
          scan += Character.charCount(next);
        } else {
          break;
        }
      }
      if (digits >= codeLength) {
        if (masked == null) {
          masked = new StringBuilder(text.length());
        }
        masked.append(text, copied, start);
        appendMasked(masked, text, start, end);
        copied = end;
      }
      // Between end and scan there are only separators: no group can start there.
      i = scan;
    }
    return masked == null ? text : masked.append(text, copied, text.length()).toString();
  }

  /**
   * What the reply parser ignores between the digits of a code: white space, separators (Z),
   * punctuation (P), symbols (S) and format characters (Cf).
   */
  private static boolean isSeparator(int c) {
    if (c == ' ' || (c >= '\t' && c <= '\r')) {
      return true;
    }
    return switch (Character.getType(c)) {
      case Character.SPACE_SEPARATOR,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL,
          Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL,
          Character.OTHER_SYMBOL,
          Character.FORMAT ->
          true;
      default -> false;
    };
  }

  private static void appendMasked(StringBuilder out, String text, int start, int end) {
    for (int i = start; i < end; ) {
      int c = text.codePointAt(i);
      if (Character.isDigit(c)) {
        out.append('*');
      } else {
        out.appendCodePoint(c);
      }
      i += Character.charCount(c);
    }
  }

  public int codeLength() {
    return codeLength;
  }
}
