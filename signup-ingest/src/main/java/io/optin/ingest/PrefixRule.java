package io.optin.ingest;

/**
 * A number's prefix is its first {@code digits} digits in E.164, country code included ({@code
 * +141555} for {@code +14155550100} at 6 digits): the unit of the per-prefix limit and of the SMS
 * pumping guard.
 *
 * @param digits how many leading digits make the prefix ({@code limits.prefix.digits})
 */
public record PrefixRule(int digits) {

  /**
   * Digits a masked prefix always hides, as {@code PhoneMask} hides at least five digits of a
   * number.
   */
  private static final int MIN_HIDDEN = 5;

  /**
   * {@code +} and the first {@link #digits} digits of the number (all of them when it is shorter).
   */
  public String prefixOf(String e164) {
    String number = digitsOf(e164);
    return "+" + number.substring(0, Math.min(digits, number.length()));
  }

  /**
   * The prefix as it shows in log lines: the number with every digit after the prefix hidden, and
   * never fewer than five hidden, so a prefix as long as a number does not reveal it ({@code
   * +141555*****}).
   */
  public String masked(String e164) {
    String number = digitsOf(e164);
    int shown = Math.max(0, Math.min(digits, number.length() - MIN_HIDDEN));
    return "+" + number.substring(0, shown) + "*".repeat(number.length() - shown);
  }

  private static String digitsOf(String e164) {
    return e164.startsWith("+") ? e164.substring(1) : e164;
  }
}
