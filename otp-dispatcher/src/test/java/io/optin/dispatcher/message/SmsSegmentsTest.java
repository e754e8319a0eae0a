package io.optin.dispatcher.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SmsSegmentsTest {

  @ParameterizedTest(name = "[{index}] {0} x {1}: {2} {3} units, {4} segments")
  @CsvSource({
    // GSM-7: 160 in one segment, 153 per part
    "a, 1, GSM_7, 1, 1",
    "a, 160, GSM_7, 160, 1",
    "a, 161, GSM_7, 161, 2",
    "a, 306, GSM_7, 306, 2",
    "a, 307, GSM_7, 307, 3",
    "a, 459, GSM_7, 459, 3",
    "a, 460, GSM_7, 460, 4",
    // extension characters take two septets
    "€, 80, GSM_7, 160, 1",
    "€, 81, GSM_7, 162, 2",
    "^, 76, GSM_7, 152, 1",
    // UCS-2: 70 in one segment, 67 per part
    "ê, 70, UCS_2, 70, 1",
    "ê, 71, UCS_2, 71, 2",
    "ê, 134, UCS_2, 134, 2",
    "ê, 135, UCS_2, 135, 3",
    // characters beyond the BMP are two UTF-16 units
    "😀, 35, UCS_2, 70, 1",
    "😀, 36, UCS_2, 72, 2",
  })
  void shouldCountUnitsAndSegmentsPerEncoding(
      String unit, int times, SmsEncoding encoding, int units, int count) {
    SmsSegments segments = SmsSegments.of(unit.repeat(times));

    assertThat(segments).isEqualTo(new SmsSegments(encoding, units, count));
  }

  @Test
  void shouldCountNothingForAnEmptyText() {
    assertThat(SmsSegments.of("")).isEqualTo(new SmsSegments(SmsEncoding.GSM_7, 0, 0));
  }

  @Test
  void shouldSwitchTheWholeTextToUcs2ForOneCharacterOutsideGsm7() {
    SmsSegments segments = SmsSegments.of("a".repeat(100) + "ç");

    assertThat(segments).isEqualTo(new SmsSegments(SmsEncoding.UCS_2, 101, 2));
  }

  @Test
  void shouldNotSplitAnEscapePairAcrossParts() {
    // 152 septets, then a 2-septet euro that does not fit the first part's 153rd septet, then 152
    // more:
    // 306 septets, yet three parts, not two.
    SmsSegments segments = SmsSegments.of("a".repeat(152) + "€" + "a".repeat(152));

    assertThat(segments).isEqualTo(new SmsSegments(SmsEncoding.GSM_7, 306, 3));
  }

  @Test
  void shouldNotSplitASurrogatePairAcrossParts() {
    SmsSegments segments = SmsSegments.of("ê".repeat(66) + "😀" + "ê".repeat(66));

    assertThat(segments).isEqualTo(new SmsSegments(SmsEncoding.UCS_2, 134, 3));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "é", "è", "à", "ù", "ì", "ò", "É", "Ç", "ä", "ö", "ü", "ß", "ñ", "Ñ", "Ä", "Ö", "Ü", "å",
        "Å", "æ", "Æ", "ø", "Ø", "¿", "¡", "£", "¥", "§", "@", "$", "¤", "_", "Δ", "Ω", "&", "'",
        "\"", "\n"
      })
  void shouldKeepGsm7ForTheBasicTable(String character) {
    assertThat(SmsSegments.of("Bonjour " + character))
        .isEqualTo(new SmsSegments(SmsEncoding.GSM_7, 9, 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"^", "{", "}", "\\", "[", "~", "]", "|", "€", "\f"})
  void shouldCountExtensionCharactersAsTwoSeptets(String character) {
    assertThat(SmsSegments.of("Hi " + character))
        .isEqualTo(new SmsSegments(SmsEncoding.GSM_7, 5, 1));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ê", "î", "ô", "â", "û", "ç", "ë", "ï", "á", "í", "ó", "ú", "õ", "ã", "œ", "’", "“", "…",
        "`", "–", "😀", "中"
      })
  void shouldNeedUcs2ForCharactersOutsideGsm7(String character) {
    assertThat(SmsSegments.isGsm7("Bonjour " + character)).isFalse();
    assertThat(SmsSegments.of("Bonjour " + character).encoding()).isEqualTo(SmsEncoding.UCS_2);
  }

  @Test
  void shouldNameTheCharactersThatForceUcs2() {
    assertThat(SmsSegments.nonGsm7Characters("Vous êtes là – ça, vous êtes")).isEqualTo("ê–ç");
    assertThat(SmsSegments.nonGsm7Characters("Répondez OUI à €")).isEmpty();
  }
}
