package io.optin.domain.otp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhoneMaskTest {

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "+14155550100     | +1415*****00",
        "+33612345678     | +3361*****78",
        "+447400123456    | +4474******56",
        "+4915123456789   | +4915*******89",
        "+33612345        | +3*****45",
        "+3361234         | +*****34",
        "+1234567         | +*****67",
        "+123456          | +*****6",
        "+12345           | +*****",
        "06 12 34 56 78   | 061*****78",
        "(415) 555-0100   | 415*****00",
        "not a phone      | ***",
        "\"\"             | \"\"",
      })
  void shouldKeepAtMostTheCountryPrefixAndLastTwoDigits(String phone, String expected) {
    assertThat(PhoneMask.mask(phone)).isEqualTo(expected);
  }

  @Test
  void shouldAlwaysHideAtLeastFiveDigits() {
    for (String phone : new String[] {"+1", "+12", "+123456789", "+123456789012345"}) {
      String masked = PhoneMask.mask(phone);
      long hidden = masked.chars().filter(c -> c == '*').count();
      assertThat(hidden).as(phone).isGreaterThanOrEqualTo(Math.min(5, phone.length() - 1));
    }
  }

  @Test
  void shouldBeNullSafe() {
    assertThat(PhoneMask.mask(null)).isNull();
  }
}
