package io.optin.systemtests.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.devkit.embedded.ClusterNode;
import io.optin.systemtests.CommittedRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The only broker dies (SIGKILL, in a process of its own) and comes back, three times, while flows
 * go on: every service of {@code optin run all} recovers by itself each time (never live 503),
 * every flow is confirmed exactly once. How long each took is printed: ready again after the broker
 * is back, and the longest time without a new confirmation.
 */
@Tag("system")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class BrokerKillIT {

  private static final int ROUNDS = 3;
  private static final Duration DOWN = Duration.ofSeconds(8);
  private static final Duration RECOVERING = Duration.ofSeconds(120);

  /**
   * How long every service may take to be ready again. Most kills take 1 to 2 s; twice in CI a
   * Streams app fenced right after the restart stayed REBALANCING for about two minutes, its state
   * updater still restoring (thread dump), the length of the producer's default delivery timeout.
   * Until that is understood, the test waits past it, and prints the time each kill took.
   */
  private static final Duration READY_AGAIN = Duration.ofMinutes(4);

  private static final Duration POLL = Duration.ofMillis(200);

  @TempDir Path dir;

  private CrashStack stack;
  private OutsideWorld world;
  private CommittedRecords topics;
  private OptinProcess running;

  @BeforeEach
  void startStack() throws Exception {
    stack = CrashStack.onCluster(dir, Path.of("target", "broker-kill"), 1);
    // The flows of the test share one prefix: its limit is not under test.
    Files.writeString(stack.config(), "limits.prefix.per.hour=100000\n", StandardOpenOption.APPEND);
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
  void shouldRecoverEveryServiceByItselfAfterTheBrokerIsKilledAndRestarted() {
    // Given optin running and flows confirmed at a steady pace
    running = stack.startOptin("optin");
    ServiceStates states = new ServiceStates(stack.gatewayUrl());
    FlowPump pump = new FlowPump(world, topics, 0, 2.0);
    await().atMost(RECOVERING).pollInterval(POLL).until(() -> step(pump) >= 5);
    ClusterNode broker = stack.cluster().node(1);
    List<String> figures = new ArrayList<>();

    for (int round = 1; round <= ROUNDS; round++) {
      // When the broker is killed, stays down while signups arrive, and is started again
      pump.resetStall();
      broker.kill();
      stack.stopRegistry();
      long killedAt = System.nanoTime();
      pump.readable(false);
      await()
          .pollDelay(DOWN)
          .atMost(DOWN.plusSeconds(5))
          .pollInterval(POLL)
          .until(() -> step(pump) >= 0 && System.nanoTime() - killedAt >= DOWN.toNanos());
      broker.restart();
      stack.startRegistry();
      long backAt = System.nanoTime();
      pump.readable(true);
      int confirmedWhenBack = step(pump);

      // Then every service is ready again by itself, none dead for good meanwhile
      int round0 = round;
      long[] readyAt = {0};
      long[] progressAt = {0};
      try {
        await("every service ready after broker kill " + round + ", log in " + running.log())
            .atMost(READY_AGAIN)
            .pollInterval(POLL)
            .failFast(
                "a service died for good after broker kill " + round0,
                () -> {
                  assertThat(running.isAlive()).as("optin alive, see " + running.log()).isTrue();
                  ServiceStates.Probe live = states.live();
                  assertThat(live.status()).as("/health/live " + live.states()).isNotEqualTo(503);
                })
            .until(
                () -> {
                  if (step(pump) > confirmedWhenBack && progressAt[0] == 0) {
                    progressAt[0] = System.nanoTime();
                  }
                  if (readyAt[0] == 0 && states.ready().ok()) {
                    readyAt[0] = System.nanoTime();
                  }
                  return readyAt[0] != 0;
                });
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(
            e.getMessage()
                + "; "
                + states.ready().states()
                + "; "
                + running.dumpThreads("kill-" + round0),
            e);
      }
      await("a new confirmation after broker kill " + round)
          .atMost(RECOVERING)
          .pollInterval(POLL)
          .until(
              () -> {
                if (step(pump) > confirmedWhenBack && progressAt[0] == 0) {
                  progressAt[0] = System.nanoTime();
                }
                return progressAt[0] != 0;
              });
      figures.add(
          String.format(
              Locale.ROOT,
              "kill %d: down %.1f s; after the broker and registry were back: every service ready"
                  + " %.1f s, first new confirmation %.1f s; longest time without a new"
                  + " confirmation %.1f s",
              round,
              seconds(killedAt, backAt),
              seconds(backAt, readyAt[0]),
              seconds(backAt, progressAt[0]),
              pump.longestStallSeconds()));
    }

    // And once the platform stops, every flow is confirmed exactly once
    pump.stopSigningUp();
    awaitEveryFlowConfirmed(pump);
    System.out.println(
        "BROKER SIGKILL (optin broker: single broker and registry), "
            + pump.phones().size()
            + " flows:");
    figures.forEach(line -> System.out.println("  " + line));
    assertThat(pump.confirmations())
        .containsOnlyKeys(pump.phones())
        .allSatisfy((phone, count) -> assertThat(count).as(phone).isEqualTo(1));
    assertThat(states.live().ok()).isTrue();
    ServiceStates.Probe ready = states.ready();
    assertThat(ready.ok()).as(ready.states().toString()).isTrue();
  }

  private static int step(FlowPump pump) {
    pump.step();
    return pump.confirmations().size();
  }

  private static double seconds(long from, long to) {
    return (to - from) / 1e9;
  }

  private void awaitEveryFlowConfirmed(FlowPump pump) {
    try {
      await("every flow confirmed, log in " + running.log())
          .atMost(RECOVERING)
          .pollInterval(POLL)
          .until(pump::step);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; " + pump.describeOpen(), e);
    }
  }
}
