package io.optin.domain.screening;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ControlCharactersTest {

  @Test
  void shouldForbidEveryC0ButTabCrLfAndDelAndEveryC1() {
    // Given every code point from U+0000 to U+00FF
    // When each is classified
    // Then exactly C0 without tab, LF and CR, DEL and C1 are forbidden
    int[] forbidden = IntStream.range(0, 0x100).filter(ControlCharacters::isForbidden).toArray();
    int[] expected =
        IntStream.concat(
                IntStream.range(0, 0x20).filter(c -> c != 0x09 && c != 0x0A && c != 0x0D),
                IntStream.rangeClosed(0x7F, 0x9F))
            .toArray();
    assertThat(forbidden).containsExactly(expected);
  }

  @Test
  void shouldCountTabCrAndLfAsControlsOfALine() {
    // Given every code point from U+0000 to U+00FF
    // When each is classified as a control of a one-line value
    int[] controls = IntStream.range(0, 0x100).filter(ControlCharacters::isControl).toArray();

    // Then they are all C0, DEL and C1
    assertThat(controls)
        .containsExactly(
            IntStream.concat(IntStream.range(0, 0x20), IntStream.rangeClosed(0x7F, 0x9F))
                .toArray());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"nul\u0000", "\u001B[31mred", "del\u007F", "c1\u0085", "\u009Bcsi", "bell\u0007"})
  void shouldRefuseTextWithAForbiddenControl(String text) {
    assertThat(ControlCharacters.isClean(text)).isFalse();
    assertThat(ControlCharacters.isCleanLine(text)).isFalse();
  }

  @Test
  void shouldAcceptTabsNewlinesAndEveryVisibleCharacterInText() {
    // Given text with tab, CR, LF, non-ASCII letters, a no-break space and an emoji
    String text = "Reply STOP\tto opt out.\r\nMsg & data rates may apply. é \u00A0 \uD83D\uDE00";

    // Then it is clean text, but not a clean line
    assertThat(ControlCharacters.isClean(text)).isTrue();
    assertThat(ControlCharacters.isCleanLine(text)).isFalse();
    assertThat(ControlCharacters.isCleanLine("acme-deals é \u00A0 \uD83D\uDE00")).isTrue();
    assertThat(ControlCharacters.isClean(null)).isTrue();
    assertThat(ControlCharacters.isCleanLine(null)).isTrue();
  }

  @Test
  void shouldReplaceOnlyForbiddenControlsWhenNeutralising() {
    assertThat(ControlCharacters.neutralised("a\u0000b\u001B[2J\tc\r\nd\u007Fe\u0090"))
        .isEqualTo("a\uFFFDb\uFFFD[2J\tc\r\nd\uFFFDe\uFFFD");
    assertThat(ControlCharacters.neutralised("YES 123456")).isEqualTo("YES 123456");
    assertThat(ControlCharacters.neutralised(null)).isNull();
  }

  @Test
  void shouldNameTheFirstFieldWithAControlCharacter() {
    // Given form fields, one with a NUL at its end, one with a tab inside
    Map<String, String> fields =
        Map.of("From", "+14155550100\n", "To", "+1415\t5550999", "Sid", "SM1\u0000");

    // Then a field is unclean when a control is inside it, or is not tab, CR or LF around it
    assertThat(ControlCharacters.firstUncleanLine(fields, "From", "Missing", "To", "Sid"))
        .hasValue("To");
    assertThat(ControlCharacters.firstUncleanLine(fields, "Sid")).hasValue("Sid");
    assertThat(ControlCharacters.firstUncleanLine(fields, "From", "Missing")).isEmpty();
  }
}
