package io.optin.dispatcher.sms;

/**
 * Phone numbers in logs: the country prefix and the last two digits stay, the rest is starred.
 */
public final class PhoneMask {

    private static final int KEPT_PREFIX = 3;
    private static final int KEPT_SUFFIX = 2;

    private PhoneMask() {
    }

    public static String mask(String phone) {
        if (phone == null) {
            return "null";
        }
        if (phone.length() <= KEPT_PREFIX + KEPT_SUFFIX) {
            return "*".repeat(phone.length());
        }
        return phone.substring(0, KEPT_PREFIX)
                + "*".repeat(phone.length() - KEPT_PREFIX - KEPT_SUFFIX)
                + phone.substring(phone.length() - KEPT_SUFFIX);
    }
}
