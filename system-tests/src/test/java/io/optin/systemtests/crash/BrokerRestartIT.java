package io.optin.systemtests.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.optin.audit.ConsentAuditTopologyConfig;
import io.optin.avro.SubscriberConfirmed;
import io.optin.replies.matching.ReplyTopology;
import io.optin.schemas.Topics;
import io.optin.server.OptinCommand;
import io.optin.server.stack.ServiceName;
import io.optin.systemtests.CommittedRecords;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A broker restart is an outage every service rides out: with {@code optin run all} in its own
 * process, the broker is stopped and started again on the same port and data twice; afterwards the
 * process is still live with every service, ready again, confirms a new subscriber exactly once,
 * and its consent ledger still verifies.
 */
// Heavy: runs with -Psystem, not in the default build.
@Tag("system")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class BrokerRestartIT {

  private static final int RESTARTS = 2;
  private static final Duration CONFIRMING = Duration.ofSeconds(120);
  private static final Duration RECOVERING = Duration.ofSeconds(150);
  private static final Duration POLL = Duration.ofMillis(250);

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private CrashStack stack;
  private OutsideWorld world;
  private CommittedRecords topics;
  private OptinProcess running;

  @BeforeEach
  void startStack() throws Exception {
    stack = CrashStack.start(dir, Path.of("target", "broker-restart"));
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
  void shouldKeepEveryServiceAliveAndConfirmAfterABrokerRestart() throws Exception {
    List<String> first = phones(0, 3);
    // Per restart: two phones whose codes arrived before it, two that sign up during it
    List<List<String>> codedBefore =
        IntStream.range(0, RESTARTS).mapToObj(r -> phones(3 + 4 * r, 2)).toList();
    List<List<String>> signedUpDuring =
        IntStream.range(0, RESTARTS).mapToObj(r -> phones(5 + 4 * r, 2)).toList();
    List<String> after = phones(3 + 4 * RESTARTS, 1);

    // Given optin in its own process, having confirmed a few subscribers
    running = stack.startOptin("optin");
    confirm(first);

    // When the broker is restarted twice on the same port and data, staying down while phones
    // answer YES to codes they got before the outage and other phones sign up, optin confirming
    // them all (the platform and Twilio retrying what failed) and coming back to ready before the
    // next restart
    for (int restart = 0; restart < RESTARTS; restart++) {
      List<String> coded = codedBefore.get(restart);
      world.signUp(coded);
      await("codes to " + coded + ", log in " + running.log())
          .atMost(CONFIRMING)
          .pollInterval(POLL)
          .until(() -> SmsTally.of(stack.sandbox(), coded).phonesWithout().isEmpty());
      stack.stopBroker();
      world.answerCodes(coded);
      world.signUp(signedUpDuring.get(restart));
      // The broker stays down until optin has answered (or failed) every call made meanwhile
      world.awaitCallsSettled();
      stack.startBroker();
      confirm(Stream.concat(coded.stream(), signedUpDuring.get(restart).stream()).toList());
      awaitLiveAndReady("after broker restart " + (restart + 1));
    }

    // Then a subscriber signing up after the restarts is confirmed
    confirm(after);

    // And, once the reply processor and the audit sink have committed everything, each subscriber
    // is confirmed exactly once
    List<String> everyone =
        Stream.of(List.of(first), codedBefore, signedUpDuring, List.of(after))
            .flatMap(List::stream)
            .flatMap(List::stream)
            .toList();
    await("replies and audit caught up, log in " + running.log())
        .atMost(CONFIRMING)
        .pollInterval(POLL)
        .until(
            () ->
                topics.caughtUp(ReplyTopology.APPLICATION_ID, Topics.SMS_INBOUND)
                    && topics.caughtUp(
                        ConsentAuditTopologyConfig.DEFAULT_APPLICATION_ID, Topics.CHALLENGES));
    assertThat(countBy(topics.read(Topics.CONFIRMED_SUBSCRIBERS), SubscriberConfirmed::getPhone))
        .containsOnlyKeys(everyone)
        .allSatisfy((phone, count) -> assertThat(count).as(phone).isEqualTo(1));

    // And the process is still live and ready, every one of its services live
    assertThat(running.isAlive()).as("optin run alive, see " + running.log()).isTrue();
    Health live = get("/health/live");
    assertThat(live.status()).as(live.body().toString()).isEqualTo(200);
    assertThat(live.body().get("live").asBoolean()).isTrue();
    List<JsonNode> services = new ArrayList<>();
    live.body().get("services").forEach(services::add);
    assertThat(services)
        .extracting(s -> s.get("name").asText())
        .containsAll(Arrays.stream(ServiceName.values()).map(ServiceName::word).toList());
    assertThat(services)
        .allSatisfy(s -> assertThat(s.get("live").asBoolean()).as(s.toString()).isTrue());
    assertThat(get("/health/ready").status()).isEqualTo(200);

    // And the consent ledger still verifies, every subscriber in it
    Verification verify = verifyLedger();
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out())
        .containsPattern("ledger intact: \\d+ records, " + everyone.size() + " subjects");
  }

  /** The phones sign up and answer YES until each one's SubscriberConfirmed is committed. */
  private void confirm(List<String> phones) {
    world.signUp(phones);
    await("confirmation of " + phones + ", log in " + running.log())
        .atMost(CONFIRMING)
        .pollInterval(POLL)
        .failFast("optin run exited, see " + running.log(), () -> !running.isAlive())
        .until(
            () -> {
              assertThat(world.refusals()).as("requests refused for good").isEmpty();
              world.retrySignups();
              world.answerCodes(phones);
              return world.allAnswered(phones)
                  && countBy(
                          topics.read(Topics.CONFIRMED_SUBSCRIBERS), SubscriberConfirmed::getPhone)
                      .keySet()
                      .containsAll(phones);
            });
  }

  /**
   * Waits for {@code /health/ready} to answer 200 again; a service dead for good (live 503) fails
   * at once, naming it.
   */
  private void awaitLiveAndReady(String when) {
    await("optin ready " + when + ", log in " + running.log())
        .atMost(RECOVERING)
        .pollInterval(POLL)
        .failFast(
            "a service died for good " + when,
            () -> {
              assertThat(running.isAlive()).as("optin run alive, see " + running.log()).isTrue();
              Health live = get("/health/live");
              assertThat(live.status()).as("/health/live " + live.body()).isNotEqualTo(503);
            })
        .until(() -> get("/health/ready").status() == 200);
  }

  private record Health(int status, JsonNode body) {}

  private Health get(String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Health(response.statusCode(), parsed(response.body()));
    } catch (IOException e) {
      return new Health(-1, json.createObjectNode().put("error", e.toString()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Health(-1, json.createObjectNode().put("error", "interrupted"));
    }
  }

  /** The health body as JSON; one that is not (an error page) is kept as text. */
  private JsonNode parsed(String body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      return json.createObjectNode().put("text", body);
    }
  }

  private record Verification(int exit, String out, String err) {}

  /** {@code optin audit verify --config FILE}, as an operator runs it on the test's settings. */
  private Verification verifyLedger() throws IOException {
    // No dev secrets: the ledger's keys are those of the settings file.
    Path noDevData = Files.createDirectories(dir.resolve("no-dev-data"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command =
        OptinCommand.commandLine(Map.of("OPTIN_DEV_DATA_DIR", noDevData.toString()));
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));
    int exit = command.execute("audit", "verify", "--config", stack.config().toString());
    return new Verification(exit, out.toString(), err.toString());
  }

  private static <T> Map<String, Long> countBy(List<T> values, Function<T, String> key) {
    return values.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
  }

  private static List<String> phones(int from, int count) {
    return IntStream.range(from, from + count)
        .mapToObj(i -> String.format("+1415555%04d", 300 + i))
        .toList();
  }
}
