package io.optin.kit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

  @ParameterizedTest
  @CsvSource({
    "500ms, 500",
    "30s, 30000",
    "10m, 600000",
    "1h, 3600000",
    "2d, 172800000",
    "' 10M ', 600000",
    "PT10M, 600000",
    "pt1h30m, 5400000",
    "P1D, 86400000",
    "0s, 0"
  })
  void shouldReadShortAndIsoForms(String text, long millis) {
    assertThat(DurationText.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10",
        "ten minutes",
        "10 minutes",
        "1.5h",
        "-5m",
        "PT-5M",
        "P",
        "m",
        "",
        "99999999999999999999d"
      })
  void shouldRefuseWhatIsNotANonNegativeDuration(String text) {
    assertThatThrownBy(() -> DurationText.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @ParameterizedTest
  @CsvSource({"500, 500ms", "60000, 1m", "90000, 90s", "3600000, 1h", "172800000, 2d", "0, 0s"})
  void shouldWriteTheShortestExactForm(long millis, String text) {
    assertThat(DurationText.format(Duration.ofMillis(millis))).isEqualTo(text);
  }
}
