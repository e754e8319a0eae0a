package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PumpingRuleTest {

  @ParameterizedTest(name = "{0} sends, {1} confirmed: pumping {2}")
  @CsvSource({
    "49, 0, false", // too few sends to judge, however few confirmed
    "50, 0, true",
    "50, 4, true", // 8 %
    "50, 5, false", // exactly 10 % is enough
    "200, 19, true", // 9.5 %
    "200, 20, false"
  })
  void shouldJudgeOnlyFromMinSendsAndBlockBelowThePercentage(
      long sends, long confirmed, boolean pumping) {
    assertThat(new PumpingRule(50, 10, Duration.ofHours(1)).isPumping(sends, confirmed))
        .isEqualTo(pumping);
  }

  @Test
  void shouldNeverJudgeAPrefixPumpingAtZeroPercent() {
    PumpingRule off = new PumpingRule(1, 0, Duration.ofHours(1));

    assertThat(off.isPumping(1_000_000, 0)).isFalse();
  }
}
