package io.optin.domain.screening;

import static com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType.FIXED_LINE_OR_MOBILE;
import static com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType.MOBILE;
import static com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType.PERSONAL_NUMBER;
import static com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType.VOIP;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.optin.domain.screening.PhoneCheck.Invalid;
import io.optin.domain.screening.PhoneCheck.Valid;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNormalizerTest {

  private static final PhoneNumberUtil NUMBERS = PhoneNumberUtil.getInstance();
  private final PhoneNormalizer normalizer = new PhoneNormalizer();

  static Stream<Arguments> mobileExamples() {
    return Stream.of(
            "US", "CA", "FR", "GB", "DE", "ES", "IT", "NL", "BE", "CH", "BR", "IN", "JP", "AU")
        .map(region -> Arguments.of(region, NUMBERS.getExampleNumberForType(region, MOBILE)));
  }

  @ParameterizedTest(name = "[{index}] {0} mobile example")
  @MethodSource("mobileExamples")
  void shouldAcceptTheMobileExampleNumberOfEachRegionInE164(String region, PhoneNumber example) {
    // Given libphonenumber's own example mobile number, written in E.164
    String e164 = NUMBERS.format(example, PhoneNumberFormat.E164);

    // When
    PhoneCheck check = normalizer.normalize(e164, null);

    // Then
    assertThat(check).isInstanceOf(Valid.class);
    Valid valid = (Valid) check;
    assertThat(valid.e164()).isEqualTo(e164);
    assertThat(valid.regionCode()).isEqualTo(region);
    assertThat(valid.numberType()).isIn(MOBILE, FIXED_LINE_OR_MOBILE);
  }

  @ParameterizedTest(name = "[{index}] {0} mobile example, national format")
  @MethodSource("mobileExamples")
  void shouldAcceptTheMobileExampleInNationalFormatWithItsCountry(
      String region, PhoneNumber example) {
    String national = NUMBERS.format(example, PhoneNumberFormat.NATIONAL);

    PhoneCheck check = normalizer.normalize(national, region.toLowerCase());

    assertThat(check)
        .isEqualTo(
            new Valid(
                NUMBERS.format(example, PhoneNumberFormat.E164),
                region,
                NUMBERS.getNumberType(example)));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\" + {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "06 12 34 56 78           | FR   | +33612345678",
        "0612345678               | fr   | +33612345678",
        "06.12.34.56.78           | FR   | +33612345678",
        "0033 6 12 34 56 78       | FR   | +33612345678",
        "+33 (0)6 12 34 56 78     |      | +33612345678",
        "+33 6 12 34 56 78        | US   | +33612345678",
        "tel:+33612345678         |      | +33612345678",
        "07400 123456             | GB   | +447400123456",
        "(201) 555-0123           | US   | +12015550123",
        "  +1 415 555 0100        |      | +14155550100",
        "0151 23456789            | DE   | +4915123456789",
      })
  void shouldNormaliseToE164(String raw, String country, String e164) {
    PhoneCheck check = normalizer.normalize(raw, country);

    assertThat(check).isInstanceOf(Valid.class);
    assertThat(((Valid) check).e164()).isEqualTo(e164);
  }

  static Stream<Arguments> refusedTypeExamples() {
    return Stream.of(
        Arguments.of("FR", PhoneNumberType.FIXED_LINE, "cannot receive SMS"),
        Arguments.of("GB", PhoneNumberType.FIXED_LINE, "cannot receive SMS"),
        Arguments.of("DE", PhoneNumberType.FIXED_LINE, "cannot receive SMS"),
        Arguments.of("US", PhoneNumberType.TOLL_FREE, "cannot receive SMS"),
        Arguments.of("FR", PhoneNumberType.TOLL_FREE, "cannot receive SMS"),
        Arguments.of("US", PhoneNumberType.PREMIUM_RATE, "cannot receive SMS"),
        Arguments.of("GB", PhoneNumberType.PREMIUM_RATE, "cannot receive SMS"),
        Arguments.of("FR", PhoneNumberType.SHARED_COST, "cannot receive SMS"),
        Arguments.of("DE", PhoneNumberType.SHARED_COST, "cannot receive SMS"),
        Arguments.of("FR", PhoneNumberType.UAN, "cannot receive SMS"),
        Arguments.of("DE", PhoneNumberType.VOICEMAIL, "cannot receive SMS"),
        Arguments.of("GB", PhoneNumberType.PAGER, "cannot receive SMS"),
        Arguments.of("US", VOIP, "is not accepted for SMS opt-in"),
        Arguments.of("FR", VOIP, "is not accepted for SMS opt-in"),
        Arguments.of("GB", PERSONAL_NUMBER, "is not accepted for SMS opt-in"),
        Arguments.of("US", PERSONAL_NUMBER, "is not accepted for SMS opt-in"));
  }

  @ParameterizedTest(name = "[{index}] {0} {1}")
  @MethodSource("refusedTypeExamples")
  void shouldRefuseNumberTypesThatCannotOrMayNotReceiveOurSms(
      String region, PhoneNumberType type, String why) {
    // Given libphonenumber's example number of that type
    PhoneNumber example = NUMBERS.getExampleNumberForType(region, type);
    assertThat(NUMBERS.getNumberType(example)).isEqualTo(type);

    // When
    PhoneCheck check = normalizer.normalize(NUMBERS.format(example, PhoneNumberFormat.E164), null);

    // Then
    assertThat(check).isEqualTo(new Invalid("phone type " + type + " " + why, "phone"));
  }

  @Test
  void shouldAcceptVoipWhenTheOperatorAllowsIt() {
    PhoneNormalizer lenient = new PhoneNormalizer(EnumSet.of(MOBILE, FIXED_LINE_OR_MOBILE, VOIP));
    String voip =
        NUMBERS.format(NUMBERS.getExampleNumberForType("US", VOIP), PhoneNumberFormat.E164);

    assertThat(lenient.normalize(voip, null)).isEqualTo(new Valid(voip, "US", VOIP));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"+15005550006", "+15005550001", "+15005550002", "+15005550009", "+1 500-555-0000"})
  void shouldAcceptTwilioTestNumbersUsedByTheDemo(String raw) {
    PhoneCheck check = normalizer.normalize(raw, null);

    assertThat(check).isInstanceOf(Valid.class);
    assertThat(((Valid) check).e164()).startsWith("+1500555").hasSize(12);
    assertThat(((Valid) check).numberType()).isEqualTo(PERSONAL_NUMBER);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "+14155550100",
        "+14155550199",
        "+12125550142",
        "+13105550100",
        "+16175550123",
        "+12025550123",
        "+17185550150"
      })
  void shouldAcceptFictional555NumbersAsFixedLineOrMobile(String raw) {
    assertThat(normalizer.normalize(raw, null))
        .isEqualTo(new Valid(raw, "US", FIXED_LINE_OR_MOBILE));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\" + {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "+15555550100        |    | phone is not a valid number for US             | phone",
        "+33700000000        |    | phone is not a valid number for FR             | phone",
        "01 23               | FR | phone is not a valid number for FR             | phone",
        "+18005550199        |    | phone type TOLL_FREE cannot receive SMS        | phone",
        "+15002345678        |    | phone type PERSONAL_NUMBER is not accepted for SMS opt-in | phone",
        "06 12 34 56 78      |    | a national number needs a country (ISO 3166 alpha-2) | country",
        "0033612345678       |    | a national number needs a country (ISO 3166 alpha-2) | country",
        "06 12 34 56 78      | XX | country XX is not an ISO 3166 alpha-2 code of a numbering plan | country",
        "06 12 34 56 78      | FRA | country FRA is not an ISO 3166 alpha-2 code of a numbering plan | country",
        "not a phone         | FR | phone may hold only digits, one leading +, spaces, '-', '.' and parentheses | phone",
        "+                   |    | phone could not be parsed: not a phone number  | phone",
        "+999 1234567        |    | phone could not be parsed: unknown country calling code | phone",
        "+1222222222222222222222 | | phone could not be parsed: too long          | phone",
        "+1 201 555 0123 ext. 12 | | phone must not have an extension             | phone",
      })
  void shouldRefuseWithAClearReasonAndField(
      String raw, String country, String reason, String field) {
    assertThat(normalizer.normalize(raw, country)).isEqualTo(new Invalid(reason, field));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(
      strings = {
        "++14155550123",
        "+1+4155550123",
        "1+4155550123",
        "+14155550123+",
        "tel:++14155550123",
        "+1 800 FLOWERS",
        "+1 415 555 O123",
        "+\uFF114155550123",
        "+\u0661\u0664\u0661\u0665\u0665\u0665\u0665\u0660\u0661\u0662\u0663",
        "+1/415/555/0123",
        "+1 415\u00A0555 0123",
        "+1 415 555 0123;",
        "+1 (415) 555 0123!",
        "+1\t415 555 0123",
        "+1 415 555 0123 \u202E",
        "tel:+14155550123;phone-context=example.com",
        "[+14155550123]",
      })
  void shouldRefuseAWrittenFormLibphonenumberWouldForgive(String raw) {
    // Given a text that libphonenumber would read as a number, or mostly as one

    // When
    PhoneCheck check = normalizer.normalize(raw, null);

    // Then
    assertThat(check)
        .isEqualTo(
            new Invalid(
                "phone may hold only digits, one leading +, spaces, '-', '.' and parentheses",
                "phone"));
  }

  @Test
  void shouldStillNameAnExtensionInANationalNumber() {
    assertThat(normalizer.normalize("06 12 34 56 78 ext. 3", "FR"))
        .isEqualTo(new Invalid("phone must not have an extension", "phone"));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "\t"})
  void shouldRequireAPhone(String raw) {
    assertThat(normalizer.normalize(raw, "FR"))
        .isEqualTo(new Invalid("phone is required", "phone"));
  }

  @Test
  void shouldIgnoreABadCountryWhenThePhoneIsInternational() {
    assertThat(normalizer.normalize("+33612345678", "France"))
        .isEqualTo(new Valid("+33612345678", "FR", MOBILE));
  }
}
