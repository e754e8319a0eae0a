package io.optin.domain.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CodeMaskTest {

  @ParameterizedTest(name = "[{index}] \"{0}\" -> \"{1}\"")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "Your code is 123456                      | Your code is ******",
        "123456                                   | ******",
        "Acme: your code is 004211. Expires in 10 min. | Acme: your code is ******. Expires in 10 min.",
        "123 456                                  | *** ***",
        "123-456                                  | ***-***",
        "1.2.3.4.5.6                              | *.*.*.*.*.*",
        "1234567 typo                             | ******* typo",
        "codes 123456 and 654321                  | codes ****** and ******",
        "12345 is too short                       | 12345 is too short",
        "Expires in 10 min, 2 left                | Expires in 10 min, 2 left",
        "yes                                      | yes",
        "''                                       | ''",
        "１２３４５６                              | ******",
        "code ١٢٣٤٥٦                              | code ******",
        "call +33 6 12 34 56 78                   | call +** * ** ** ** **",
      })
  void shouldMaskEveryDigitGroupOfAtLeastTheCodeLength(String text, String expected) {
    assertThat(new CodeMask(6).mask(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "4  | PIN 1234 ok      | PIN **** ok",
        "4  | PIN 123 ok       | PIN 123 ok",
        "8  | 1234 5678        | **** ****",
        "8  | 123456           | 123456",
        "10 | 0123456789!      | **********!",
      })
  void shouldFollowTheConfiguredCodeLength(int length, String text, String expected) {
    assertThat(new CodeMask(length).mask(text)).isEqualTo(expected);
  }

  @Test
  void shouldLeaveNullAsNull() {
    assertThat(new CodeMask(6).mask(null)).isNull();
  }

  @Test
  void shouldMaskTheCodeOfAnyChallenge() {
    OtpCodes codes = new OtpCodes(new byte[32], 6);
    for (int i = 0; i < 500; i++) {
      String code = codes.codeFor("c" + i);
      assertThat(codes.mask().mask("Acme Shop 24: your code is " + code + ". Reply YES."))
          .doesNotContain(code)
          .isEqualTo("Acme Shop 24: your code is ******. Reply YES.");
    }
  }

  @Test
  void shouldMaskAHundredThousandDigitBodyInOnePass() {
    // Given an SMS body of 100,000 digits, then 100,000 digits separated by spaces
    String digits = "7".repeat(100_000);
    String spaced = "7 ".repeat(100_000) + "end";

    // When masked / Then every digit is masked, nothing else changed, and nothing overflowed
    assertThat(new CodeMask(6).mask(digits)).isEqualTo("*".repeat(100_000));
    assertThat(new CodeMask(6).mask(spaced)).isEqualTo("* ".repeat(100_000) + "end");
  }

  @Test
  void shouldMaskExactlyAsTheDigitGroupPatternItReplaces() {
    // Given seeded random texts of digits (ASCII, full-width, Arabic-Indic, mathematical bold),
    // separators of every kind and letters
    String[] alphabet = {
      "1",
      "2",
      "0",
      "９",
      "٣",
      "\uD835\uDFCE",
      " ",
      "-",
      ".",
      "+",
      "€",
      "\u200B",
      "\u00A0",
      "\n",
      "\t",
      "a",
      "Z",
      "é",
      "\uD83D\uDE00",
      "\u0000"
    };
    Random random = new Random(20240817L);
    for (int n = 0; n < 5_000; n++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(30);
      for (int i = 0; i < length; i++) {
        text.append(alphabet[random.nextInt(alphabet.length)]);
      }
      int codeLength = 4 + random.nextInt(3);

      // When masked / Then the result is the one of the former regular expression
      assertThat(new CodeMask(codeLength).mask(text.toString()))
          .as("code length %d, text \"%s\"", codeLength, text)
          .isEqualTo(regexMask(text.toString(), codeLength));
    }
  }

  /** The former implementation (nested quantifiers, recursive): the reference on short texts. */
  private static String regexMask(String text, int codeLength) {
    Matcher group =
        Pattern.compile("\\p{Nd}(?:[\\s\\p{Z}\\p{P}\\p{S}\\p{Cf}]*\\p{Nd})*").matcher(text);
    StringBuilder masked = new StringBuilder();
    int copied = 0;
    while (group.find()) {
      String digits = group.group();
      if (digits.codePoints().filter(Character::isDigit).count() < codeLength) {
        continue;
      }
      StringBuilder stars = new StringBuilder();
      digits.codePoints().forEach(c -> stars.appendCodePoint(Character.isDigit(c) ? '*' : c));
      masked.append(text, copied, group.start()).append(stars);
      copied = group.end();
    }
    return masked.append(text, copied, text.length()).toString();
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 11})
  void shouldRefuseALengthOutsideTheCodeRange(int length) {
    assertThatThrownBy(() -> new CodeMask(length)).hasMessageContaining("otp.length");
  }
}
