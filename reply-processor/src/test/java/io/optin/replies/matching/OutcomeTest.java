package io.optin.replies.matching;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutcomeTest {

  @Test
  void shouldReadBackEveryOutcomeFromItsStoreText() {
    for (Outcome outcome :
        new Outcome[] {
          Outcome.CONFIRMED,
          Outcome.ALREADY_CONFIRMED,
          Outcome.EXPIRED,
          Outcome.LOCKED,
          Outcome.NO_CHALLENGE,
          Outcome.wrongCode(3)
        }) {
      assertThat(Outcome.parse(outcome.text())).isEqualTo(outcome);
    }
    assertThat(Outcome.wrongCode(3).text()).isEqualTo("WRONG_CODE:3");
  }
}
