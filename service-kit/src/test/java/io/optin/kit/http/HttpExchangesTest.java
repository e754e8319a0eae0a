package io.optin.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JacksonException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpExchangesTest {

  @Test
  void shouldDecodeAFormWithTheLastValueOfARepeatedKey() {
    assertThat(
            HttpExchanges.parseForm(
                "Body=Yes+%C3%A9%21&From=%2B14155550100&Flag&Body=STOP"
                    .getBytes(StandardCharsets.UTF_8)))
        .containsExactly(
            Map.entry("Body", "STOP"), Map.entry("From", "+14155550100"), Map.entry("Flag", ""));
  }

  @ParameterizedTest
  @CsvSource({
    "Body=100%, Body",
    "Body=%zz, Body",
    "a=1&From=%2, From",
    "%G1=x, query",
    "To%=x, query",
    "%, query"
  })
  void shouldRefuseAMalformedEscapeNamingItsParameter(String form, String field) {
    assertThatThrownBy(() -> HttpExchanges.parseForm(form.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            HttpExchanges.MalformedFormException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.getMessage()).contains("malformed %-escape");
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":1} GARBAGE", "{\"a\":1}}", "{\"a\":1},{}", "{\"a\":1,\"a\":2}"})
  void shouldRefuseTrailingContentAndRepeatedKeysInJson(String body) {
    assertThatThrownBy(() -> HttpExchanges.JSON.readTree(body.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(JacksonException.class);
  }

  @Test
  void shouldReadAJsonObjectWithTrailingWhiteSpace() throws Exception {
    assertThat(HttpExchanges.JSON.readTree("{\"a\":1} \r\n".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(HttpExchanges.JSON.createObjectNode().put("a", 1));
  }
}
