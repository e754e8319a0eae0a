package io.optin.domain.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @ParameterizedTest
  @ValueSource(ints = {3, 11})
  void shouldRefuseALengthOutsideTheCodeRange(int length) {
    assertThatThrownBy(() -> new CodeMask(length)).hasMessageContaining("otp.length");
  }
}
