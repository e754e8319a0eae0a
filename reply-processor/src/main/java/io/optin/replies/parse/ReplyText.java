package io.optin.replies.parse;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The canonical form replies and keywords are compared in: accents, case, punctuation, symbols
 * (emoji included) and all spacing ignored, so "Oui !", "oui", "OPT-OUT", "opt out" and "Arrêt."
 * read as OUI, OUI, OPTOUT, OPTOUT and ARRET.
 */
final class ReplyText {

  /**
   * After NFKD: combining marks (the accents), punctuation, symbols, controls, format and spaces.
   */
  private static final Pattern IGNORED = Pattern.compile("[\\p{M}\\p{P}\\p{S}\\p{C}\\p{Z}\\s]+");

  private ReplyText() {}

  static String canonical(String text) {
    if (text == null) {
      return "";
    }
    String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
    return IGNORED.matcher(decomposed).replaceAll("").toUpperCase(Locale.ROOT);
  }

  /** Whether a canonical text is made of decimal digits only (any script). */
  static boolean isDigits(String canonical) {
    return !canonical.isEmpty() && canonical.codePoints().allMatch(Character::isDigit);
  }

  /** The ASCII digits of a digits-only text, so "١٢٣" and "123" are the same code. */
  static String asciiDigits(String canonical) {
    StringBuilder ascii = new StringBuilder(canonical.length());
    canonical.codePoints().forEach(c -> ascii.append((char) ('0' + Character.digit(c, 10))));
    return ascii.toString();
  }
}
