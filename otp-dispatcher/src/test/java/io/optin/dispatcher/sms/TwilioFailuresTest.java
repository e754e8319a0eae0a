package io.optin.dispatcher.sms;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.dispatcher.sms.TwilioFailures.FallbackRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Twilio error table: the codes the issue names, and docs/fallback.md showing the same. */
class TwilioFailuresTest {

  @Test
  void shouldTryTheNextChannelAtOnceForCodesThatNeverReachThePhone() {
    for (int code : List.of(21614, 30003, 30005, 30006, 30007)) {
      assertThat(TwilioFailures.ruleFor(code))
          .as("code " + code)
          .isEqualTo(FallbackRule.NEXT_CHANNEL_NOW);
    }
  }

  @Test
  void shouldNeverFallBackAfterStopOrOnAnInvalidNumber() {
    assertThat(TwilioFailures.ruleFor(21610)).isEqualTo(FallbackRule.NO_FALLBACK);
    assertThat(TwilioFailures.ruleFor(21211)).isEqualTo(FallbackRule.NO_FALLBACK);
  }

  @Test
  void shouldLeaveUnclearAndUnknownCodesToTheDelay() {
    assertThat(TwilioFailures.ruleFor(30008)).isEqualTo(FallbackRule.AFTER_DELAY);
    assertThat(TwilioFailures.ruleFor(99999)).isEqualTo(FallbackRule.AFTER_DELAY);
    assertThat(TwilioFailures.ruleFor(null)).isEqualTo(FallbackRule.AFTER_DELAY);
  }

  @Test
  void shouldBeTheTableThatDocsFallbackShows() throws IOException {
    // Given the rows of the table in docs/fallback.md
    Map<FallbackRule, String> words =
        Map.of(
            FallbackRule.NO_FALLBACK, "never",
            FallbackRule.NEXT_CHANNEL_NOW, "next channel now",
            FallbackRule.AFTER_DELAY, "after the delay");
    List<String> documented = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("..", "docs", "fallback.md"))) {
      if (line.matches("\\| [0-9]{5} \\|.*")) {
        documented.add(line);
      }
    }

    // Then each row is the code's, in the same order
    assertThat(documented)
        .containsExactlyElementsOf(
            TwilioFailures.TABLE.stream()
                .map(
                    row ->
                        "| "
                            + row.code()
                            + " | "
                            + row.meaning()
                            + " | "
                            + words.get(row.rule())
                            + " | "
                            + row.why()
                            + " |")
                .toList());
  }
}
