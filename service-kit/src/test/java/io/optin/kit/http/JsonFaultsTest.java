package io.optin.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonFaultsTest {

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"a\":1},{}          | content after the JSON value at line 1, column 8",
        "{\"a\":1}{}           | content after the JSON value at line 1, column 8",
        "{\"a\":1} GARBAGE     | content after the JSON value at line 1, column 9",
        "{\"a\":1}}            | content after the JSON value at line 1, column 8",
        "GARBAGE               | unexpected content at line 1, column 1",
        "[1,]                  | unexpected content at line 1, column 4",
        "1x                    | unexpected content at line 1, column 2",
        "\"a\" 1             | content after the JSON value at line 1, column 5",
        "[] x                  | content after the JSON value at line 1, column 4",
        "{\"a\":1,\"a\":2}     | a key is given twice at line 1, column 11",
        "{\"a\":               | it ends before the JSON value is complete at line 1, column 6",
        "{'a':1}               | unexpected content at line 1, column 2",
        "{\"a\":01}            | a number is malformed at line 1, column 7",
        "{\"a\":NaN}           | a number is malformed at line 1, column 9",
        "{\"a\":\"\\q\"}       | a string holds an invalid escape at line 1, column 8",
      })
  void shouldSayWhatIsWrongAndWhereInPlainWords(String body, String reason) {
    assertThat(describe(body)).isEqualTo(reason);
  }

  @Test
  void shouldGiveTheLineOfContentAfterTheValue() {
    assertThat(describe("{\"a\":1}\n 2"))
        .isEqualTo("content after the JSON value at line 2, column 2");
  }

  @Test
  void shouldNameAnUnescapedControlCharacter() {
    assertThat(describe("{\"a\":\"\u0001\"}"))
        .isEqualTo("a control character in a string is not escaped at line 1, column 7");
  }

  @Test
  void shouldNameBytesThatAreNotUtf8() {
    byte[] body = {'{', '"', (byte) 0xff, '"', ':', '1', '}'};

    assertThat(JsonFaults.describe(body, refusal(body)))
        .isEqualTo("not valid UTF-8 at line 1, column 5");
  }

  @Test
  void shouldNameBytesThatAreNotUtf8InAStringValue() {
    byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, '"', '}'};

    assertThat(JsonFaults.describe(body, refusal(body))).startsWith("not valid UTF-8 at line 1");
  }

  @Test
  void shouldSayNestedTooDeeplyWithoutTheReadConstraintsName() {
    byte[] body = "[".repeat(1_200).getBytes(StandardCharsets.UTF_8);

    assertThat(JsonFaults.describe(body, refusal(body))).isEqualTo("nested too deeply");
  }

  @Test
  void shouldSayANumberIsTooLong() {
    byte[] body = ("{\"a\":" + "1".repeat(2_000) + "}").getBytes(StandardCharsets.UTF_8);

    assertThat(JsonFaults.describe(body, refusal(body))).isEqualTo("a number is too long");
  }

  @Test
  void shouldFindTheJacksonExceptionAmongTheCauses() {
    JacksonException jackson = refusal(new byte[] {(byte) 123});
    RuntimeException wrapper = new IllegalStateException(new UncheckedIOException(jackson));

    assertThat(JsonFaults.jacksonCause(wrapper)).containsSame(jackson);
    assertThat(JsonFaults.jacksonCause(new IllegalStateException("no cause"))).isEmpty();
  }

  private static String describe(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return JsonFaults.describe(bytes, refusal(bytes));
  }

  private static JacksonException refusal(byte[] body) {
    JacksonException e = catchThrowableOfType(JacksonException.class, () -> read(body));
    assertThat(e).as("Jackson refuses %s", new String(body, StandardCharsets.UTF_8)).isNotNull();
    return e;
  }

  private static void read(byte[] body) throws IOException {
    HttpExchanges.JSON.readTree(body);
  }
}
