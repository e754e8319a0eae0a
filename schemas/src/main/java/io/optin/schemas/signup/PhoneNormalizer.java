package io.optin.schemas.signup;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;
import java.util.Set;

/**
 * Turns what a subscriber typed into an E.164 number that can receive SMS, or says why it cannot
 * (libphonenumber metadata: validity and number type).
 */
public final class PhoneNormalizer {

  /** Number types that can receive an SMS; fixed lines, toll-free and premium numbers cannot (or must not). */
  private static final Set<PhoneNumberType> SMS_CAPABLE =
      Set.of(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.VOIP);

  private static final int MAX_INPUT_LENGTH = 64;

  private final PhoneNumberUtil numbers = PhoneNumberUtil.getInstance();

  /** Normalises an E.164 number (a leading {@code +} is required). */
  public Normalised normalise(String input) {
    return normalise(input, null);
  }

  /**
   * Normalises a number in E.164, or in national format when {@code country} (ISO 3166 alpha-2) is given.
   *
   * @param input what the subscriber typed
   * @param country region for national numbers; null when only international numbers are accepted
   */
  public Normalised normalise(String input, String country) {
    if (input == null || input.isBlank()) {
      return Normalised.invalid("phone is required");
    }
    if (input.length() > MAX_INPUT_LENGTH) {
      return Normalised.invalid("phone is longer than " + MAX_INPUT_LENGTH + " characters");
    }
    String region = country == null ? "ZZ" : country.trim().toUpperCase(Locale.ROOT);
    if (country != null && !numbers.getSupportedRegions().contains(region)) {
      return Normalised.invalid("unknown country code");
    }
    PhoneNumber number;
    try {
      number = numbers.parse(input.trim(), region);
    } catch (NumberParseException e) {
      return Normalised.invalid(country == null
          ? "phone must be in E.164 (+ and country code) or come with a country"
          : "phone is not a phone number");
    }
    if (!numbers.isValidNumber(number)) {
      return Normalised.invalid("phone is not a valid number");
    }
    PhoneNumberType type = numbers.getNumberType(number);
    if (!SMS_CAPABLE.contains(type)) {
      return Normalised.invalid("phone cannot receive SMS (" + type.name().toLowerCase(Locale.ROOT) + " number)");
    }
    return Normalised.valid(numbers.format(number, PhoneNumberFormat.E164), numbers.getRegionCodeForNumber(number));
  }

  /**
   * Result of {@link #normalise}: an E.164 number and its region, or a reason (which never repeats the number).
   */
  public record Normalised(String e164, String region, String reason) {

    static Normalised valid(String e164, String region) {
      return new Normalised(e164, region, null);
    }

    static Normalised invalid(String reason) {
      return new Normalised(null, null, reason);
    }

    public boolean isValid() {
      return e164 != null;
    }
  }
}
