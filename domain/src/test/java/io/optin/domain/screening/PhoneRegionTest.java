package io.optin.domain.screening;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhoneRegionTest {

  @ParameterizedTest
  @CsvSource({
    "+14155550100, US",
    "+14165550100, CA",
    "+33612345678, FR",
    "+447700900123, GB",
    "+15005550006, US",
    "+80012345678, ZZ",
    "+999123, ZZ",
    "14155550100, ZZ",
    "not a phone, ZZ"
  })
  void shouldNameTheIsoRegionOfAPhoneOrZzWhenItHasNone(String phone, String region) {
    assertThat(PhoneRegion.of(phone)).isEqualTo(region);
  }

  @ParameterizedTest
  @CsvSource({"''", "+"})
  void shouldReadAnEmptyOrBarePhoneAsUnknown(String phone) {
    assertThat(PhoneRegion.of(phone)).isEqualTo(PhoneRegion.UNKNOWN);
    assertThat(PhoneRegion.of(null)).isEqualTo(PhoneRegion.UNKNOWN);
  }
}
