package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.ingest.SendWindow.Counts;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SendWindowTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:30Z");

  private final SendWindow window = new SendWindow();

  @Test
  void shouldCountAnEventUntilSixtyMinutesAfterItsMinute() {
    // Given a send and a confirmation at 10:00:30
    window.sent(T0, T0);
    window.confirmed(T0, T0);

    // Then they count through 10:59:59 and are gone at 11:00:00
    assertThat(window.counts(Instant.parse("2025-03-01T10:59:59Z"))).isEqualTo(new Counts(1, 1));
    assertThat(window.counts(Instant.parse("2025-03-01T11:00:00Z"))).isEqualTo(new Counts(0, 0));
    assertThat(window.isEmpty(Instant.parse("2025-03-01T11:00:00Z"))).isTrue();
  }

  @Test
  void shouldSlideMinuteByMinute() {
    // Given sends at 10:00, 10:20 and 10:40
    for (int minutes : new int[] {0, 20, 40}) {
      Instant at = T0.plus(Duration.ofMinutes(minutes));
      window.sent(at, at);
    }

    // Then at 11:10 only the last two are within the hour, at 11:30 only the last
    assertThat(window.counts(T0.plus(Duration.ofMinutes(70))).sends()).isEqualTo(2);
    assertThat(window.counts(T0.plus(Duration.ofMinutes(90))).sends()).isEqualTo(1);
  }

  @Test
  void shouldPlaceLateEventsInTheirOwnMinuteAndDropThoseOlderThanAnHour() {
    // Given it is 10:30 and a send of 10:10 arrives late, then one of 9:20
    Instant now = T0.plus(Duration.ofMinutes(30));
    window.sent(T0.plus(Duration.ofMinutes(10)), now);
    window.sent(T0.minus(Duration.ofMinutes(40)), now);

    // Then only the first counts, and it leaves the hour at 11:10, not at 11:30
    assertThat(window.counts(now).sends()).isEqualTo(1);
    assertThat(window.counts(T0.plus(Duration.ofMinutes(69))).sends()).isEqualTo(1);
    assertThat(window.counts(T0.plus(Duration.ofMinutes(70))).sends()).isZero();
  }

  @Test
  void shouldCountAnEventFromTheFutureAsNow() {
    window.sent(T0.plus(Duration.ofHours(3)), T0);

    assertThat(window.counts(T0).sends()).isEqualTo(1);
    assertThat(window.counts(T0.plus(Duration.ofHours(1))).sends()).isZero();
  }

  @Test
  void shouldReuseASlotForItsNewMinuteWithoutTheOldCounts() {
    // Given 5 sends at 10:00, and an hour later one send in the same slot
    for (int i = 0; i < 5; i++) {
      window.sent(T0, T0);
    }
    Instant later = T0.plus(Duration.ofHours(1));
    window.sent(later, later);

    // Then only the new one counts
    assertThat(window.counts(later)).isEqualTo(new Counts(1, 0));
  }
}
