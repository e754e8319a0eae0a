package io.optin.domain.otp;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks, in free text, every group of digits that could be a code: a run of at least the code
 * length of digits, separators allowed between them (so "123 456" and "123-456" are caught, as the
 * reply parser accepts them as codes). Longer runs are masked too: a code mistyped with an extra
 * digit still reveals the code. Every digit becomes {@code *}; separators and other text stay, for
 * audit text.
 */
public final class CodeMask {

  /**
   * A digit followed by any number of (separators then digit). Separators are what the reply parser
   * ignores: spaces, punctuation, symbols, format characters. Any Unicode decimal digit counts.
   */
  private static final Pattern DIGIT_GROUP =
      Pattern.compile("\\p{Nd}(?:[\\s\\p{Z}\\p{P}\\p{S}\\p{Cf}]*\\p{Nd})*");

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
    Matcher group = DIGIT_GROUP.matcher(text);
    StringBuilder masked = new StringBuilder(text.length());
    int copied = 0;
    while (group.find()) {
      String digits = group.group();
      if (digitCount(digits) < codeLength) {
        continue;
      }
      masked.append(text, copied, group.start()).append(maskDigits(digits));
      copied = group.end();
    }
    return masked.append(text, copied, text.length()).toString();
  }

  private static long digitCount(String group) {
    return group.codePoints().filter(Character::isDigit).count();
  }

  private static String maskDigits(String group) {
    StringBuilder out = new StringBuilder(group.length());
    group
        .codePoints()
        .forEach(
            c -> {
              if (Character.isDigit(c)) {
                out.append('*');
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }

  public int codeLength() {
    return codeLength;
  }
}
