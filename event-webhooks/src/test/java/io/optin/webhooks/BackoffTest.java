package io.optin.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));

  @Test
  void shouldDoubleEachPauseUpToTheMaximumWithJitterInTheUpperHalf() {
    // When the pauses are drawn at the lowest and the highest jitter
    var lowest = IntStream.rangeClosed(1, 6).mapToObj(n -> backoff.pause(n, () -> 0.0)).toList();
    var highest =
        IntStream.rangeClosed(1, 6).mapToObj(n -> backoff.pause(n, () -> 0.999_999)).toList();

    // Then each lies in [d/2, d] with d = 100 ms doubled per failure, capped at 1 s
    assertThat(lowest)
        .containsExactly(
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(400),
            Duration.ofMillis(500),
            Duration.ofMillis(500));
    assertThat(highest)
        .containsExactly(
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(400),
            Duration.ofMillis(800),
            Duration.ofMillis(1000),
            Duration.ofMillis(1000));
  }

  @Test
  void shouldNeverShortenAPauseFromOneFailureToTheNextBelowTheCap() {
    // Then the highest pause of a failure is at most the lowest of the next one
    for (int n = 1; n < 4; n++) {
      assertThat(backoff.pause(n, () -> 0.999_999))
          .isLessThanOrEqualTo(backoff.pause(n + 1, () -> 0.0));
    }
  }
}
