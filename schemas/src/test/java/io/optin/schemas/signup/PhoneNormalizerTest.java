package io.optin.schemas.signup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneNormalizerTest {

  private final PhoneNormalizer phones = new PhoneNormalizer();

  @Test
  void shouldNormaliseAFormattedInternationalNumberToE164() {
    PhoneNormalizer.Normalised result = phones.normalise("+33 6 12 34 56 78");

    assertThat(result.isValid()).isTrue();
    assertThat(result.e164()).isEqualTo("+33612345678");
    assertThat(result.region()).isEqualTo("FR");
  }

  @Test
  void shouldNormaliseANationalNumberWithItsCountry() {
    assertThat(phones.normalise("06 12 34 56 78", "fr").e164()).isEqualTo("+33612345678");
    assertThat(phones.normalise("(415) 555-0100", "US").e164()).isEqualTo("+14155550100");
  }

  @Test
  void shouldRefuseANationalNumberWithoutCountry() {
    assertThat(phones.normalise("0612345678").isValid()).isFalse();
  }

  @Test
  void shouldRefuseAnUnknownCountry() {
    assertThat(phones.normalise("0612345678", "XX").reason()).isEqualTo("unknown country code");
  }

  @Test
  void shouldRefuseNumbersThatCannotReceiveSms() {
    assertThat(phones.normalise("+33123456789").reason()).contains("fixed_line");
    assertThat(phones.normalise("+18005550100").reason()).contains("toll_free");
  }

  @Test
  void shouldNeverRepeatTheNumberInAReason() {
    assertThat(phones.normalise("+15555555555").reason()).doesNotContain("5555555");
  }
}
