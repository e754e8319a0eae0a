package io.optin.domain.screening;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * The ISO 3166 region of an E.164 number ({@value #UNKNOWN} when it has none): a bounded label for
 * metrics (about 250 values), never a check of the number. A number libphonenumber does not know
 * gets its numbering plan's main region ({@code +1 500 555…}: {@code US}).
 */
public final class PhoneRegion {

  /** CLDR's code for an unknown or invalid territory, as libphonenumber uses it. */
  public static final String UNKNOWN = "ZZ";

  private static final PhoneNumberUtil NUMBERS = PhoneNumberUtil.getInstance();

  private PhoneRegion() {}

  /** The region of {@code e164} ({@code US}, {@code FR}…), or {@value #UNKNOWN}. */
  public static String of(String e164) {
    if (e164 == null || !e164.startsWith("+")) {
      return UNKNOWN;
    }
    try {
      PhoneNumber number = NUMBERS.parse(e164, UNKNOWN);
      String region = NUMBERS.getRegionCodeForNumber(number);
      if (region == null) {
        // A number libphonenumber does not know (a test or fiction range): its plan's main region.
        region = NUMBERS.getRegionCodeForCountryCode(number.getCountryCode());
      }
      // Non-geographic numbers (+800…) belong to region "001", which is no country.
      return region == null || region.length() != 2 ? UNKNOWN : region;
    } catch (NumberParseException e) {
      return UNKNOWN;
    }
  }
}
