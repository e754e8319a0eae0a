package io.optin.systemtests.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.devkit.embedded.ClusterNode;
import io.optin.devkit.embedded.LocalCluster;
import io.optin.schemas.Topics;
import io.optin.systemtests.CommittedRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One broker of three dies mid-flight (SIGKILL of the leader of the signup topic's first partition)
 * and is restarted while flows go on: with three replicas and min ISR 2 every write still commits,
 * no flow is lost, each confirming phone is confirmed exactly once, and no service of {@code optin
 * run all} is left dead or unready. The stall the fault caused is printed.
 */
@Tag("system")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class BrokerFailoverIT {

  private static final double SIGNUPS_PER_SECOND = 4.0;
  private static final Duration DOWN = Duration.ofSeconds(15);
  private static final Duration AFTER = Duration.ofSeconds(10);
  private static final Duration RECOVERING = Duration.ofSeconds(120);
  private static final Duration POLL = Duration.ofMillis(200);

  @TempDir Path dir;

  private CrashStack stack;
  private OutsideWorld world;
  private CommittedRecords topics;
  private OptinProcess running;

  @BeforeEach
  void startStack() throws Exception {
    stack = CrashStack.onCluster(dir, Path.of("target", "broker-failover"), 3);
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
  void shouldLoseNoFlowAndLeaveNoServiceDownWhenOneBrokerOfThreeIsKilledMidFlight()
      throws Exception {
    // Given optin running on three brokers, every topic with three replicas, flows confirmed at a
    // steady pace
    LocalCluster cluster = stack.cluster();
    // (a broker that has not learnt of a topic just made answers "unknown topic": ask again)
    TopicDescription signups =
        await()
            .atMost(RECOVERING)
            .pollInterval(POLL)
            .ignoreExceptions()
            .until(
                () -> describe(Topics.SIGNUP_REQUESTS.name()),
                d ->
                    d.partitions().stream()
                        .allMatch(p -> p.replicas().size() == 3 && p.isr().size() == 3));
    running = stack.startOptin("optin");
    ServiceStates states = new ServiceStates(stack.gatewayUrl());
    FlowPump pump = new FlowPump(world, topics, 0, SIGNUPS_PER_SECOND);
    await().atMost(RECOVERING).pollInterval(POLL).until(() -> step(pump) >= 10);

    // When the leader of the signup topic's first partition is killed mid-flight
    int leader = signups.partitions().get(0).leader().id();
    ClusterNode victim = cluster.node(leader);
    pump.resetStall();
    int confirmedAtKill = step(pump);
    victim.kill();
    long killedAt = System.nanoTime();
    long[] firstAfterKill = {0};
    long[] notReadySince = {0};
    long[] longestNotReady = {0};
    // And flows go on while it is down
    await("flows while node " + leader + " is down, log in " + running.log())
        .pollDelay(DOWN)
        .atMost(DOWN.plus(RECOVERING))
        .pollInterval(POLL)
        .until(
            () -> {
              if (step(pump) > confirmedAtKill && firstAfterKill[0] == 0) {
                firstAfterKill[0] = System.nanoTime();
              }
              trackReadiness(states, notReadySince, longestNotReady);
              return System.nanoTime() - killedAt >= DOWN.toNanos() && firstAfterKill[0] != 0;
            });
    double stallDuringOutage = pump.longestStallSeconds();

    // And it is restarted on its ports and log directory, flows going on
    pump.resetStall();
    CompletableFuture<Void> restarting = CompletableFuture.runAsync(victim::restart);
    await("node " + leader + " restarted, log in " + victim.log())
        .atMost(RECOVERING)
        .pollInterval(POLL)
        .until(
            () -> {
              step(pump);
              trackReadiness(states, notReadySince, longestNotReady);
              return restarting.isDone();
            });
    restarting.join();
    long backAt = System.nanoTime();
    long[] readyAt = {0};
    await("every service ready after node " + leader + " restarted, log in " + running.log())
        .atMost(RECOVERING)
        .pollInterval(POLL)
        .failFast(
            "a service died for good",
            () -> {
              assertThat(running.isAlive()).as("optin alive, see " + running.log()).isTrue();
              ServiceStates.Probe live = states.live();
              assertThat(live.status()).as("/health/live " + live.states()).isNotEqualTo(503);
            })
        .until(
            () -> {
              step(pump);
              trackReadiness(states, notReadySince, longestNotReady);
              if (readyAt[0] == 0 && states.ready().ok()) {
                readyAt[0] = System.nanoTime();
              }
              return readyAt[0] != 0 && System.nanoTime() - backAt >= AFTER.toNanos();
            });
    double stallAfterRestart = pump.longestStallSeconds();

    // Then every flow is confirmed, exactly once, once the platform stops
    pump.stopSigningUp();
    awaitEveryFlowConfirmed(pump);
    System.out.printf(
        Locale.ROOT,
        "BROKER FAILOVER (node %d of 3 SIGKILLed, leader of %s-0): %d flows; first new"
            + " confirmation %.1f s after the kill; longest time without a new confirmation %.1f s"
            + " while it was down, %.1f s while it restarted and after; every service ready %.1f s"
            + " after it was back; longest time /health/ready was not 200: %.1f s%n",
        leader,
        Topics.SIGNUP_REQUESTS.name(),
        pump.phones().size(),
        seconds(killedAt, firstAfterKill[0]),
        stallDuringOutage,
        stallAfterRestart,
        seconds(backAt, readyAt[0]),
        longestNotReady[0] / 1e9);
    assertThat(pump.confirmations())
        .containsOnlyKeys(pump.phones())
        .allSatisfy((phone, count) -> assertThat(count).as(phone).isEqualTo(1));
    assertThat(world.refusals()).isEmpty();
    // And no service is left dead or unready, the restarted node back in every ISR
    assertThat(states.live().ok()).isTrue();
    ServiceStates.Probe ready = states.ready();
    assertThat(ready.ok()).as(ready.states().toString()).isTrue();
    await()
        .atMost(RECOVERING)
        .pollInterval(POLL)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(describe(Topics.SIGNUP_REQUESTS.name()).partitions())
                    .allSatisfy(p -> assertThat(p.isr()).hasSize(3)));
  }

  private static void trackReadiness(
      ServiceStates states, long[] notReadySince, long[] longestNotReady) {
    long now = System.nanoTime();
    if (states.ready().ok()) {
      notReadySince[0] = 0;
    } else if (notReadySince[0] == 0) {
      notReadySince[0] = now;
    } else {
      longestNotReady[0] = Math.max(longestNotReady[0], now - notReadySince[0]);
    }
  }

  private TopicDescription describe(String topic) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
      return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    }
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
