package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrefixRuleTest {

  @ParameterizedTest(name = "{0} at {1} digits is {2}, masked {3}")
  @CsvSource({
    "+14155550100, 6, +141555, +141555*****",
    "+15005550001, 6, +150055, +150055*****",
    "+33612345678, 4, +3361, +3361*******",
    // A prefix as long as the number never shows more than PhoneMask would: five digits stay hidden
    "+14155550100, 12, +14155550100, +141555*****",
    "+3361234, 3, +336, +33*****"
  })
  void shouldTakeTheLeadingDigitsCountryCodeIncludedAndMaskTheRest(
      String phone, int digits, String prefix, String masked) {
    PrefixRule rule = new PrefixRule(digits);

    assertThat(rule.prefixOf(phone)).isEqualTo(prefix);
    assertThat(rule.masked(phone)).isEqualTo(masked);
  }
}
