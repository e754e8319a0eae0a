package io.optin.domain.otp;

/**
 * Masks a phone number for log lines: keeps the leading {@code +}, at most four leading digits (the
 * country code and a little of the area) and the last two, and hides at least five digits, e.g.
 * {@code +14155550100 -> +1415*****00}. Anything other than digits is dropped first, so raw input
 * such as "06 12 34 56 78" is masked the same way ({@code 061*****78}).
 */
public final class PhoneMask {

  private static final int KEPT_HEAD = 4;
  private static final int KEPT_TAIL = 2;
  private static final int MIN_HIDDEN = 5;

  private PhoneMask() {}

  /** The masked number; {@code null} gives {@code null}, input without digits gives {@code ***}. */
  public static String mask(String phone) {
    if (phone == null) {
      return null;
    }
    String trimmed = phone.strip();
    String digits = trimmed.replaceAll("\\D", "");
    if (digits.isEmpty()) {
      return trimmed.isEmpty() ? "" : "***";
    }
    int n = digits.length();
    int tail = n > MIN_HIDDEN ? Math.min(KEPT_TAIL, n - MIN_HIDDEN) : 0;
    int head = Math.max(0, Math.min(KEPT_HEAD, n - tail - MIN_HIDDEN));
    String sign = trimmed.startsWith("+") ? "+" : "";
    return sign
        + digits.substring(0, head)
        + "*".repeat(n - head - tail)
        + digits.substring(n - tail);
  }
}
