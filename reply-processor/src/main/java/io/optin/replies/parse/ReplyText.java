package io.optin.replies.parse;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The forms replies are compared in. Canonical (whole-reply keywords): accents, case, punctuation,
 * symbols (emoji included) and all spacing ignored, so "Oui !", "oui", "OPT-OUT", "opt out" and
 * "Arrêt." read as OUI, OUI, OPTOUT, OPTOUT and ARRET. Words (phrases of {@link ReplyRules}): the
 * same, but spacing, punctuation and emoji separate words, apostrophes join them ("don't" is
 * "dont") and a letter repeated is read once ("yesss", "stopp" read "yes", "stop").
 */
final class ReplyText {

  /**
   * After NFKD: combining marks (the accents), punctuation, symbols, controls, format and spaces.
   */
  private static final Pattern IGNORED = Pattern.compile("[\\p{M}\\p{P}\\p{S}\\p{C}\\p{Z}\\s]+");

  private static final Pattern MARKS = Pattern.compile("\\p{M}+");

  /** Apostrophes join: "don't" and "dont" are one word, as French elisions ("m'envoyez"). */
  private static final Pattern APOSTROPHES = Pattern.compile("['\u2018\u2019\u02BC`\u00B4]");

  private static final Pattern SEPARATORS = Pattern.compile("[\\p{P}\\p{S}\\p{C}\\p{Z}\\s]+");

  private ReplyText() {}

  /** The words of a text, lower case, without accents, each with repeated letters read once. */
  static List<String> words(String text) {
    if (text == null) {
      return List.of();
    }
    String plain =
        APOSTROPHES.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("");
    plain = MARKS.matcher(plain).replaceAll("").toLowerCase(Locale.ROOT).replace("\u00DF", "ss");
    String spaced = SEPARATORS.matcher(plain).replaceAll(" ").strip();
    return spaced.isEmpty()
        ? List.of()
        : Arrays.stream(spaced.split(" ")).map(ReplyText::squeezed).toList();
  }

  /** A letter repeated read once ("YESSS" is "YES"); digits are kept as they are (codes). */
  static String squeezed(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int previous = -1;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (!(c == previous && Character.isLetter(c))) {
        out.appendCodePoint(c);
      }
      previous = c;
      i += Character.charCount(c);
    }
    return out.toString();
  }

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
