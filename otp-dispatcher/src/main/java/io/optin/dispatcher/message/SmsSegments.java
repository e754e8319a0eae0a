package io.optin.dispatcher.message;

import java.util.Objects;

/**
 * How many SMS segments a text costs: GSM-7 when every character is in the GSM 03.38 basic table or
 * its extension table (extension characters take two septets), else UCS-2. One segment holds 160
 * septets or 70 UTF-16 units; a longer text is split into parts of 153 or 67, and, like carriers,
 * never splits an escape pair or a surrogate pair across parts.
 *
 * @param encoding the encoding the text needs
 * @param units septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text
 * @param count segments billed, 0 for an empty text
 */
public record SmsSegments(SmsEncoding encoding, int units, int count) {

  /** GSM 03.38 basic character set (the escape code 0x1B excluded). */
  static final String GSM7_BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

  /** GSM 03.38 extension table: each is sent as ESC + character, two septets. */
  static final String GSM7_EXTENSION = "\f^{}\\[~]|€";

  public static SmsSegments of(String text) {
    Objects.requireNonNull(text, "text");
    SmsEncoding encoding = isGsm7(text) ? SmsEncoding.GSM_7 : SmsEncoding.UCS_2;
    int units = 0;
    int count = text.isEmpty() ? 0 : 1;
    int inPart = 0;
    int[] codePoints = text.codePoints().toArray();
    for (int c : codePoints) {
      units += cost(encoding, c);
    }
    if (units > encoding.singleSegment()) {
      for (int c : codePoints) {
        int cost = cost(encoding, c);
        if (inPart + cost > encoding.perPartSegment()) {
          count++;
          inPart = 0;
        }
        inPart += cost;
      }
    }
    return new SmsSegments(encoding, units, count);
  }

  /** Whether every character of the text can be sent in GSM-7. */
  public static boolean isGsm7(String text) {
    return text.codePoints()
        .allMatch(c -> GSM7_BASIC.indexOf(c) >= 0 || GSM7_EXTENSION.indexOf(c) >= 0);
  }

  /**
   * The characters that force UCS-2, in order of appearance, for a template author's error message.
   */
  public static String nonGsm7Characters(String text) {
    StringBuilder found = new StringBuilder();
    text.codePoints()
        .distinct()
        .filter(c -> GSM7_BASIC.indexOf(c) < 0 && GSM7_EXTENSION.indexOf(c) < 0)
        .forEach(found::appendCodePoint);
    return found.toString();
  }

  private static int cost(SmsEncoding encoding, int c) {
    if (encoding == SmsEncoding.GSM_7) {
      return GSM7_EXTENSION.indexOf(c) >= 0 ? 2 : 1;
    }
    return Character.charCount(c);
  }

  public boolean isSingleSegment() {
    return count <= 1;
  }
}
