package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.optin.avro.OptInStatus;
import io.optin.avro.SubscriberStatus;
import io.optin.ingest.PumpingGuard.Block;
import io.optin.kit.metrics.OptinMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The SMS pumping guard with the default rule (50 sends, 10 %, 1 h) and 6-digit prefixes, on a
 * hand-moved clock.
 */
class PumpingGuardTest {

  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final String PHONE = "+14155550100";
  private static final String PREFIX = "+141555";

  private final MutableClock clock = new MutableClock(NOW);
  private final OptinMetrics metrics = OptinMetrics.unexposed();

  /** The rule of the catalogue's defaults: 50 sends, 10 %, blocked for an hour. */
  private static final PumpingRule DEFAULTS = TestIngestSettings.defaults().pumping();

  private final PumpingGuard guard = guard(DEFAULTS);

  private PumpingGuard guard(PumpingRule rule) {
    return new PumpingGuard(rule, new PrefixRule(6), clock, metrics);
  }

  /** Distinct phones of the prefix +141555 (+1 415 555 0100 onwards). */
  private static String phone(int i) {
    return "+1415555" + String.format(Locale.ROOT, "%04d", 100 + i);
  }

  private void send(PumpingGuard to, int codes) {
    for (int i = 0; i < codes; i++) {
      to.codeSent(phone(i), clock.instant());
    }
  }

  private void confirm(PumpingGuard to, int codes) {
    for (int i = 0; i < codes; i++) {
      to.confirmed(phone(i), clock.instant());
    }
  }

  @Test
  void shouldNotJudgeAPrefixBeforeItsMinimumOfSends() {
    // When 49 codes go to one prefix and none is confirmed
    send(guard, 49);

    // Then it is not blocked yet
    assertThat(guard.blockOf(PHONE)).isEmpty();
    assertThat(guard.blocked()).isEmpty();
  }

  @Test
  void shouldBlockAPrefixForTheBlockDurationOnceItsSendsReachTheMinimumWithFewConfirmed() {
    // Given 49 codes sent to a prefix, 4 confirmed
    send(guard, 49);
    confirm(guard, 4);

    // When the 50th is sent: 4 of 50 is 8 %, under 10 %
    guard.codeSent(phone(49), NOW);

    // Then the prefix is blocked for an hour, for every number in it, and the block is counted
    Block block = new Block(PREFIX, NOW.plus(Duration.ofHours(1)), 50, 4);
    assertThat(guard.blockOf("+14155559999")).contains(block);
    assertThat(guard.blocked()).containsExactly(block);
    assertThat(guard.blockOf("+14165550100")).isEmpty();
    assertThat(metrics.value("optin_prefix_blocks_total")).isEqualTo(1);
  }

  @Test
  void shouldNotBlockAPrefixWhoseConfirmationsKeepUp() {
    // When 100 codes go to a prefix, one in ten confirmed before the next ten go: never under 10 %
    for (int tens = 0; tens < 10; tens++) {
      guard.confirmed(phone(tens), NOW);
      send(guard, 10);
    }

    // Then nothing is blocked
    assertThat(guard.blocked()).isEmpty();
    assertThat(guard.blockOf(PHONE)).isEmpty();

    // But one more code without a confirmation is under 10 % (10 of 101)
    guard.codeSent(PHONE, NOW);
    assertThat(guard.blocked())
        .extracting(Block::sends, Block::confirmed)
        .containsExactly(tuple(101L, 10L));
  }

  @Test
  void shouldUnblockWhenTheBlockEnds() {
    // Given a blocked prefix
    send(guard, 50);
    assertThat(guard.blockOf(PHONE)).isPresent();

    // When the hour of the block is almost over, then over
    clock.advance(Duration.ofMinutes(59));
    boolean blockedBefore = guard.blockOf(PHONE).isPresent();
    clock.advance(Duration.ofMinutes(1));

    // Then it was still blocked, and is no more
    assertThat(blockedBefore).isTrue();
    assertThat(guard.blockOf(PHONE)).isEmpty();
    assertThat(guard.blocked()).isEmpty();
  }

  @Test
  void shouldCountAndBlockOnlyOnceWhileABlockLasts() {
    // Given a blocked prefix
    send(guard, 50);
    Block first = guard.blocked().get(0);

    // When codes still arrive for it (sent before the block took effect)
    clock.advance(Duration.ofMinutes(10));
    send(guard, 20);

    // Then the block neither moves nor counts again
    assertThat(guard.blocked()).containsExactly(first);
    assertThat(metrics.value("optin_prefix_blocks_total")).isEqualTo(1);
  }

  @Test
  void shouldJudgeOnlyTheLastHour() {
    // Given 30 unconfirmed codes at 10:00
    send(guard, 30);

    // When 20 more go 61 minutes later
    clock.advance(Duration.ofMinutes(61));
    send(guard, 20);

    // Then the first 30 have left the hour: 20 sends are too few to judge
    assertThat(guard.blocked()).isEmpty();

    // And 30 more within that hour make 50 in it: blocked
    clock.advance(Duration.ofMinutes(30));
    send(guard, 30);
    assertThat(guard.blocked()).extracting(Block::sends).containsExactly(50L);
  }

  @Test
  void shouldJudgeAgainWhenAShortBlockEndsWithinTheSameBadHour() {
    // Given a 10-minute block
    PumpingGuard shortBlocks = guard(new PumpingRule(50, 10, Duration.ofMinutes(10)));
    send(shortBlocks, 50);

    // When it ends and one more code goes while the hour still holds those sends
    clock.advance(Duration.ofMinutes(10));
    assertThat(shortBlocks.blockOf(PHONE)).isEmpty();
    shortBlocks.codeSent(PHONE, clock.instant());

    // Then the prefix is blocked again, a second block
    assertThat(shortBlocks.blockOf(PHONE))
        .map(Block::until)
        .contains(clock.instant().plus(Duration.ofMinutes(10)));
    assertThat(metrics.value("optin_prefix_blocks_total")).isEqualTo(2);
  }

  @Test
  void shouldReadCodesSentAndConfirmedFromTheStatusTopicAtTheirOwnTime() {
    // Given 10 CONFIRMED statuses of the last minutes, others that are no code nor confirmation,
    // and 50 PENDING
    for (int i = 0; i < 10; i++) {
      guard.onStatus(status(phone(i), OptInStatus.CONFIRMED, NOW.minus(Duration.ofMinutes(1))));
      guard.onStatus(status(phone(i + 10), OptInStatus.EXPIRED, NOW));
      guard.onStatus(status(phone(i + 20), OptInStatus.OPTED_OUT, NOW));
    }
    for (int i = 0; i < 50; i++) {
      guard.onStatus(status(phone(i), OptInStatus.PENDING, NOW.minus(Duration.ofMinutes(5))));
    }
    assertThat(guard.blocked()).isEmpty();

    // When PENDING statuses older than an hour come in (a restarted instance reading the topic from
    // its start)
    for (int i = 0; i < 100; i++) {
      guard.onStatus(status(phone(i), OptInStatus.PENDING, NOW.minus(Duration.ofMinutes(61))));
    }

    // Then they count for nothing, nor take memory; but 51 more recent ones bring the rate to 10 of
    // 101: blocked
    assertThat(guard.blocked()).isEmpty();
    guard.onStatus(status("+12125550100", OptInStatus.PENDING, NOW.minus(Duration.ofHours(2))));
    assertThat(guard.tracked()).isEqualTo(1);
    for (int i = 0; i < 51; i++) {
      guard.onStatus(status(phone(i), OptInStatus.PENDING, NOW));
    }
    assertThat(guard.blocked())
        .containsExactly(new Block(PREFIX, NOW.plus(Duration.ofHours(1)), 101, 10));
  }

  @Test
  void shouldBoundThePrefixesItTracks() {
    // Given a guard tracking at most 3 prefixes
    PumpingGuard bounded = new PumpingGuard(DEFAULTS, new PrefixRule(6), clock, metrics, 3);

    // When codes go to 10 prefixes
    for (int area = 200; area < 210; area++) {
      bounded.codeSent("+1" + area + "5550100", NOW);
    }

    // Then at most 3 windows are held, and a new busy prefix is still judged
    assertThat(bounded.tracked()).isEqualTo(3);
    send(bounded, 50);
    assertThat(bounded.blockOf(PHONE)).isPresent();
    assertThat(bounded.tracked()).isEqualTo(3);
  }

  private static SubscriberStatus status(String phone, OptInStatus status, Instant at) {
    return SubscriberStatus.newBuilder()
        .setProgramId("acme")
        .setPhone(phone)
        .setStatus(status)
        .setUpdatedAt(at)
        .build();
  }
}
