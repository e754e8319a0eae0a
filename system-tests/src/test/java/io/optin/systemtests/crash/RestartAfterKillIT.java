package io.optin.systemtests.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.avro.SubscriberConfirmed;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.schemas.Topics;
import io.optin.systemtests.CommittedRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long {@code optin run all}, killed with SIGKILL and restarted on the same settings and state,
 * takes to process again, on the default Kafka client settings (no shorter session timeout): the
 * figures are printed (ready, first code SMS, every new signup confirmed, from the kill); only the
 * recovery itself is asserted.
 */
@Tag("system")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RestartAfterKillIT {

  private static final Duration RECOVERY = Duration.ofSeconds(150);
  private static final Duration POLL = Duration.ofMillis(50);

  @TempDir Path dir;

  private CrashStack stack;
  private TwilioSandbox sandbox;
  private OutsideWorld world;
  private CommittedRecords topics;
  private OptinProcess running;

  @BeforeEach
  void startStack() throws Exception {
    stack = CrashStack.start(dir, Path.of("target", "restart-after-kill"));
    // The stall under test is the session timeout's: the crash stack's shorter one goes.
    List<String> defaults =
        Files.readAllLines(stack.config()).stream()
            .filter(line -> !line.startsWith("kafka.session.timeout.ms="))
            .filter(line -> !line.startsWith("kafka.heartbeat.interval.ms="))
            .toList();
    Files.write(stack.config(), defaults);
    sandbox = stack.sandbox();
    world = stack.outsideWorld();
    topics = stack.committedRecords();
  }

  @AfterEach
  void stopEverything() throws Exception {
    // The stack stops the optin processes and the outside world it handed out.
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void shouldConfirmNewSignupsSoonAfterAKilledProcessIsRestarted() {
    // Given optin running, every partition of every group assigned and a first batch confirmed
    List<String> before = phones(0, 8);
    running = stack.startOptin("first");
    world.signUp(before);
    awaitConfirmed(before, Duration.ofSeconds(120));

    // When it is killed and started again at once on the same settings and state, while the
    // platform posts new signups (retried while the process is down)
    List<String> after = phones(8, 16);
    running.kill();
    long killed = System.nanoTime();
    running = stack.launchOptin("restarted");
    world.signUp(after);
    long[] firstSms = {0};
    long[] ready = {0};
    await()
        .atMost(RECOVERY)
        .pollInterval(POLL)
        .until(
            () -> {
              long now = System.nanoTime();
              if (ready[0] == 0 && running.readyNow()) {
                ready[0] = now;
              }
              if (firstSms[0] == 0 && SmsTally.of(sandbox, after).total() > 0) {
                firstSms[0] = now;
              }
              world.retrySignups();
              world.answerCodes(after);
              return confirmed().containsAll(after);
            });
    long allConfirmed = System.nanoTime();
    if (ready[0] == 0) {
      ready[0] = allConfirmed;
    }

    // Then the new signups are confirmed (how soon is printed, not asserted)
    System.out.printf(
        Locale.ROOT,
        "RESTART AFTER SIGKILL (default session timeout): ready %.1f s, first code SMS of a new"
            + " signup %.1f s, all %d new signups confirmed %.1f s after the kill%n",
        seconds(killed, ready[0]),
        seconds(killed, firstSms[0]),
        after.size(),
        seconds(killed, allConfirmed));
    assertThat(confirmed()).containsAll(before).containsAll(after);
  }

  private void awaitConfirmed(List<String> phones, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(POLL)
        .until(
            () -> {
              world.retrySignups();
              world.answerCodes(phones);
              return confirmed().containsAll(phones);
            });
  }

  private Set<String> confirmed() {
    return topics.read(Topics.CONFIRMED_SUBSCRIBERS).stream()
        .map(SubscriberConfirmed::getPhone)
        .collect(Collectors.toSet());
  }

  private static double seconds(long from, long to) {
    return (to - from) / 1e9;
  }

  private static List<String> phones(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> String.format("+1415555%04d", 300 + i)).toList();
  }
}
