package io.optin.domain.screening;

import static com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType.FIXED_LINE;
import static com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType.FIXED_LINE_OR_MOBILE;
import static com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType.MOBILE;
import static com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType.PAGER;
import static com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType.PERSONAL_NUMBER;
import static com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType.PREMIUM_RATE;
import static com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType.SHARED_COST;
import static com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType.TOLL_FREE;
import static com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType.UAN;
import static com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType.VOICEMAIL;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.optin.domain.screening.PhoneCheck.Invalid;
import io.optin.domain.screening.PhoneCheck.Valid;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a submitted phone (E.164, or national digits plus an ISO 3166 country) into E.164, and
 * accepts it only when it is a valid number of a type that can receive our SMS.
 *
 * <p>Accepted by default: {@code MOBILE} and {@code FIXED_LINE_OR_MOBILE} (all of North America is
 * the latter). Refused because they cannot receive SMS: {@code FIXED_LINE}, {@code TOLL_FREE},
 * {@code PREMIUM_RATE}, {@code SHARED_COST}, {@code UAN}, {@code VOICEMAIL}, {@code PAGER}. Refused
 * by policy, though some can receive SMS: {@code VOIP} (the usual vehicle of throw-away fake
 * signups) and {@code PERSONAL_NUMBER} (forwarding numbers, such as UK 070, a known fraud route);
 * an operator can accept them by passing its own type set.
 *
 * <p>One exception: Twilio's test block {@code +1 500 555 xxxx} (e.g. {@code +15005550006}), which
 * libphonenumber classes as {@code PERSONAL_NUMBER}, is always accepted: the demo and the sandbox
 * use it, and a live Twilio account simply fails those sends, which is recorded like any failure.
 * Synthetic numbers that pass as real ones: {@code +1 NPA 555 0100} to {@code 0199} (reserved for
 * fiction in the NANP, {@code FIXED_LINE_OR_MOBILE} for every real area code, e.g. {@code
 * +14155550100}). Synthetic numbers refused: {@code +1 555 555 xxxx} (no such area code), {@code +1
 * 800 555 xxxx} (toll free).
 *
 * <p>An E.164 input wins over the {@code country} field, which is read only for national numbers.
 *
 * <p>The written form is checked before libphonenumber, which is lenient (it reads {@code
 * ++14155550123}, letters and other scripts' digits): a phone is an optional {@code tel:}, one
 * optional leading {@code +}, then ASCII digits, spaces, {@code -}, {@code .} and parentheses.
 */
public final class PhoneNormalizer {

  /** Types accepted unless the operator says otherwise. */
  public static final Set<PhoneNumberType> DEFAULT_ACCEPTED_TYPES =
      EnumSet.of(MOBILE, FIXED_LINE_OR_MOBILE);

  private static final Set<PhoneNumberType> CANNOT_RECEIVE_SMS =
      EnumSet.of(FIXED_LINE, TOLL_FREE, PREMIUM_RATE, SHARED_COST, UAN, VOICEMAIL, PAGER);
  private static final String TWILIO_TEST_BLOCK = "+1500555";
  private static final int NANP_E164_LENGTH = 12;
  private static final Pattern WRITTEN_FORM = Pattern.compile("(?:tel:)?\\+?[0-9 ().-]*");
  static final String WRITTEN_FORM_RULE =
      "phone may hold only digits, one leading +, spaces, '-', '.' and parentheses";

  private final PhoneNumberUtil numbers = PhoneNumberUtil.getInstance();
  private final Set<PhoneNumberType> acceptedTypes;

  public PhoneNormalizer() {
    this(DEFAULT_ACCEPTED_TYPES);
  }

  public PhoneNormalizer(Set<PhoneNumberType> acceptedTypes) {
    this.acceptedTypes =
        acceptedTypes.isEmpty()
            ? EnumSet.noneOf(PhoneNumberType.class)
            : EnumSet.copyOf(acceptedTypes);
  }

  /**
   * @param raw what the caller sent, e.g. {@code +33612345678}, {@code 06 12 34 56 78}
   * @param countryOrNull ISO 3166 alpha-2 region for a national number, any case; may be null
   */
  public PhoneCheck normalize(String raw, String countryOrNull) {
    if (raw == null || raw.isBlank()) {
      return new Invalid("phone is required", "phone");
    }
    String phone = raw.strip();
    String country =
        countryOrNull == null || countryOrNull.isBlank()
            ? null
            : countryOrNull.strip().toUpperCase(Locale.ROOT);
    boolean international = phone.startsWith("+") || phone.startsWith("tel:+");
    if (!WRITTEN_FORM.matcher(phone).matches()) {
      return new Invalid(
          hasExtension(phone, international ? null : country)
              ? "phone must not have an extension"
              : WRITTEN_FORM_RULE,
          "phone");
    }
    if (!international && country != null && !numbers.getSupportedRegions().contains(country)) {
      return new Invalid(
          "country " + country + " is not an ISO 3166 alpha-2 code of a numbering plan", "country");
    }
    PhoneNumber number;
    try {
      number = numbers.parse(phone, international ? null : country);
    } catch (NumberParseException e) {
      return unparsable(e, international);
    }
    if (number.hasExtension()) {
      return new Invalid("phone must not have an extension", "phone");
    }
    String e164 = numbers.format(number, PhoneNumberFormat.E164);
    if (isTwilioTestNumber(e164)) {
      return new Valid(e164, "US", PERSONAL_NUMBER);
    }
    if (!numbers.isValidNumber(number)) {
      return new Invalid("phone is not a valid number for " + regionOf(number, country), "phone");
    }
    PhoneNumberType type = numbers.getNumberType(number);
    if (!acceptedTypes.contains(type)) {
      String why =
          CANNOT_RECEIVE_SMS.contains(type)
              ? " cannot receive SMS"
              : " is not accepted for SMS opt-in";
      return new Invalid("phone type " + type + why, "phone");
    }
    return new Valid(e164, numbers.getRegionCodeForNumber(number), type);
  }

  /** Whether libphonenumber reads an extension ({@code ext. 12}, {@code x12}) in the text. */
  private boolean hasExtension(String phone, String regionOrNull) {
    try {
      return numbers.parse(phone, regionOrNull).hasExtension();
    } catch (NumberParseException e) {
      return false;
    }
  }

  private static Invalid unparsable(NumberParseException e, boolean international) {
    return switch (e.getErrorType()) {
      case INVALID_COUNTRY_CODE ->
          international
              ? new Invalid("phone could not be parsed: unknown country calling code", "phone")
              : new Invalid("a national number needs a country (ISO 3166 alpha-2)", "country");
      case NOT_A_NUMBER -> new Invalid("phone could not be parsed: not a phone number", "phone");
      case TOO_SHORT_AFTER_IDD, TOO_SHORT_NSN ->
          new Invalid("phone could not be parsed: too short", "phone");
      case TOO_LONG -> new Invalid("phone could not be parsed: too long", "phone");
    };
  }

  private static boolean isTwilioTestNumber(String e164) {
    return e164.length() == NANP_E164_LENGTH && e164.startsWith(TWILIO_TEST_BLOCK);
  }

  private String regionOf(PhoneNumber number, String country) {
    String region = numbers.getRegionCodeForNumber(number);
    if (region != null) {
      return region;
    }
    String plan = numbers.getRegionCodeForCountryCode(number.getCountryCode());
    return PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY.equals(plan) || "ZZ".equals(plan)
        ? (country != null ? country : "+" + number.getCountryCode())
        : plan;
  }
}
