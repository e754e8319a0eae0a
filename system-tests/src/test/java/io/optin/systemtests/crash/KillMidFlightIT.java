package io.optin.systemtests.crash;

import static io.optin.systemtests.crash.OutsideWorld.Call.ANSWERED;
import static io.optin.systemtests.crash.OutsideWorld.Call.IN_FLIGHT;
import static io.optin.systemtests.crash.OutsideWorld.Call.UNANSWERED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.InboundSms;
import io.optin.avro.ReportSource;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SmsSendRequested;
import io.optin.avro.SubscriberConfirmed;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.replies.matching.ReplyTopology;
import io.optin.schemas.Topics;
import io.optin.systemtests.CommittedRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guarantees of docs/semantics.md under a crash: optin runs as {@code optin run all} in a
 * process of its own, is killed with SIGKILL mid-flight and restarted on the same settings and
 * state, while the platform and the phones (through the Twilio sandbox) keep going and retry what
 * got no answer. Then, read back from the topics as committed: no lost confirmation, no duplicate
 * confirmation, every SMS command reported once, and no SMS sent twice: a command whose send was
 * cut short by the kill is looked up at the provider (the sandbox's Messages list) before it is
 * sent again.
 */
// Heavy: runs with -Psystem, not in the default build.
@Tag("system")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KillMidFlightIT {

  private static final Duration DRIVING = Duration.ofSeconds(120);
  private static final Duration SETTLING = Duration.ofSeconds(90);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration SLOW_PROVIDER = Duration.ofMillis(300);

  @TempDir Path dir;

  private CrashStack stack;
  private TwilioSandbox sandbox;
  private OutsideWorld world;
  private CommittedRecords topics;
  private OptinProcess running;

  @BeforeEach
  void startStack(TestInfo test) throws Exception {
    stack =
        CrashStack.start(
            dir,
            Path.of("target", "kill-mid-flight", test.getTestMethod().orElseThrow().getName()));
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
  void shouldConfirmEverySubscriberExactlyOnceWhenKilledWhileRepliesAreInFlight() {
    List<String> phones = phones(60);
    int third = phones.size() / 3;

    // Given optin in its own process, and the platform signing up the first two thirds of the
    // subscribers
    running = stack.startOptin("first");
    world.signUp(phones.subList(0, 2 * third));

    // When most of their codes have arrived, the phones answer YES, many at once; once a third of
    // all replies were
    // answered, the last third of the signups is posted and the process is killed
    await()
        .atMost(DRIVING)
        .pollInterval(POLL)
        .until(() -> SmsTally.of(sandbox, phones).total() >= 3 * third / 2);
    await()
        .atMost(DRIVING)
        .pollInterval(POLL)
        .until(
            () -> {
              world.answerCodes(phones);
              return world.replies(ANSWERED) >= third;
            });
    int answeredBeforeKill = world.replies(ANSWERED);
    world.signUp(phones.subList(2 * third, phones.size()));
    int repliesInFlight = world.replies(IN_FLIGHT);
    int signupsInFlight = world.signups(IN_FLIGHT);
    running.kill();
    int smsBeforeKill = SmsTally.of(sandbox, phones).total();
    world.awaitCallsSettled();
    int repliesUnanswered = world.replies(UNANSWERED);

    // And a new process starts at once on the same settings and state, while the platform and
    // Twilio keep
    // retrying what got no answer (refused connections while it starts)
    running = stack.launchOptin("restarted");
    await()
        .atMost(DRIVING)
        .pollInterval(POLL)
        .until(
            () -> {
              assertThat(world.refusals()).as("requests refused for good, never retried").isEmpty();
              world.retrySignups();
              world.answerCodes(phones);
              return world.allAnswered(phones);
            });

    // Then, once the reply processor has committed every reply, each subscriber is confirmed
    // exactly once
    await()
        .atMost(SETTLING)
        .until(
            () ->
                topics.caughtUp(ReplyTopology.APPLICATION_ID, Topics.SMS_INBOUND)
                    && countBy(
                            topics.read(Topics.CONFIRMED_SUBSCRIBERS),
                            SubscriberConfirmed::getPhone)
                        .keySet()
                        .containsAll(phones));
    Map<String, Long> confirmations =
        countBy(topics.read(Topics.CONFIRMED_SUBSCRIBERS), SubscriberConfirmed::getPhone);
    assertThat(confirmations)
        .containsOnlyKeys(phones)
        .allSatisfy((phone, count) -> assertThat(count).as(phone).isEqualTo(1));

    // And each challenge was issued once and closed once, as CONFIRMED
    List<ChallengeEvent> challenges = topics.read(Topics.CHALLENGES);
    assertThat(
            countBy(
                challenges.stream().filter(e -> e.getType() == ChallengeEventType.ISSUED).toList(),
                ChallengeEvent::getPhone))
        .containsOnlyKeys(phones)
        .allSatisfy((phone, n) -> assertThat(n).isEqualTo(1));
    List<ChallengeEvent> closed =
        challenges.stream().filter(e -> e.getType() == ChallengeEventType.CLOSED).toList();
    assertThat(closed)
        .extracting(ChallengeEvent::getOutcome)
        .containsOnly(ChallengeOutcome.CONFIRMED);
    assertThat(countBy(closed, ChallengeEvent::getChallengeId))
        .hasSize(phones.size())
        .allSatisfy((challenge, n) -> assertThat(n).isEqualTo(1));

    // And every code was sent and reported once, none sent twice
    SmsTally sms = awaitEveryCommandReported(phones);
    Map<String, Long> deliveriesPerSid =
        countBy(topics.read(Topics.SMS_INBOUND), InboundSms::getMessageSid);
    Set<String> redelivered = world.redeliveredSids();
    long recordedTwice =
        redelivered.stream().filter(sid -> deliveriesPerSid.getOrDefault(sid, 0L) > 1).count();
    report(
        "replies",
        "subscribers "
            + phones.size()
            + ", confirmed "
            + confirmations.size()
            + " (each exactly once), challenges "
            + "closed CONFIRMED "
            + closed.size(),
        "killed after "
            + answeredBeforeKill
            + "/"
            + phones.size()
            + " replies were answered; at the kill "
            + repliesInFlight
            + " replies and "
            + signupsInFlight
            + " signups in flight, "
            + smsBeforeKill
            + " code SMS sent",
        "webhooks left unanswered by the kill "
            + repliesUnanswered
            + ", redelivered until answered "
            + redelivered.size()
            + " ("
            + world.redeliveries()
            + " attempts, most refused while it started), of "
            + "which recorded before the kill and deduplicated by the reply processor "
            + recordedTwice,
        smsLine(sms));
    assertThat(sms.phonesWithout()).isEmpty();
    assertThat(sms.extra()).as("code SMS sent twice").isZero();
  }

  @Test
  void shouldReportEveryCommandOnceAndSendNoSmsTwiceWhenKilledWhileSending() {
    List<String> phones = phones(40);

    // Given a slow provider and optin in its own process, and the platform signing everyone up
    sandbox.apiAnswerDelay(SLOW_PROVIDER);
    running = stack.startOptin("first");
    world.signUp(phones);

    // When a third of the codes were sent, the provider stalls: it accepts messages but holds its
    // answers
    await()
        .atMost(DRIVING)
        .pollInterval(POLL)
        .until(() -> SmsTally.of(sandbox, phones).total() >= phones.size() / 3);
    sandbox.apiAnswerDelay(Duration.ofHours(1));
    await().atMost(DRIVING).pollInterval(POLL).until(() -> sandbox.heldApiAnswers() > 0);

    // And the process is killed while it waits for those answers: accepted SMS whose reports are
    // not committed
    int held = sandbox.heldApiAnswers();
    running.kill();
    sandbox.apiAnswerDelay(SLOW_PROVIDER);
    int smsBeforeKill = SmsTally.of(sandbox, phones).total();
    world.awaitCallsSettled();

    // And a new process starts at once on the same settings and state; the platform retries the
    // signups that failed
    running = stack.launchOptin("restarted");
    await()
        .atMost(DRIVING)
        .pollInterval(POLL)
        .until(
            () -> {
              assertThat(world.refusals()).as("signups refused for good, never retried").isEmpty();
              world.retrySignups();
              return world.signups(ANSWERED) == phones.size();
            });

    // Then every phone got its code, every command ends with exactly one sender report, and no SMS
    // was sent twice: those held at the kill were found at the provider and reported, not resent
    SmsTally sms = awaitEveryCommandReported(phones);
    report(
        "sending",
        "subscribers "
            + phones.size()
            + ", provider answers held at the kill "
            + held
            + ", code SMS sent before the kill "
            + smsBeforeKill,
        smsLine(sms));
    assertThat(sms.phonesWithout()).isEmpty();
    assertThat(sms.extra()).as("code SMS sent twice").isZero();
    assertThat(recoveredReports()).as("sends found at the provider after the kill").isNotZero();
  }

  /**
   * Waits until each phone has one code command on the outbox and each command a committed sender
   * report, then checks there is exactly one report per command; after that no command can be sent
   * again.
   */
  private SmsTally awaitEveryCommandReported(List<String> phones) {
    await()
        .atMost(SETTLING)
        .until(
            () -> {
              Set<String> commands = commandIds();
              return commands.size() >= phones.size()
                  && senderReportsPerCommand().keySet().containsAll(commands);
            });
    List<SmsSendRequested> commands = topics.read(Topics.SMS_OUTBOUND);
    assertThat(countBy(commands, SmsSendRequested::getPhone))
        .containsOnlyKeys(phones)
        .allSatisfy((phone, n) -> assertThat(n).as("code commands for " + phone).isEqualTo(1));
    assertThat(senderReportsPerCommand())
        .containsOnlyKeys(commandIds())
        .allSatisfy((command, n) -> assertThat(n).as("sender reports of " + command).isEqualTo(1));
    return SmsTally.of(sandbox, phones);
  }

  /** Sender reports of a message found at the provider: a sid, and no attempt of their own. */
  private long recoveredReports() {
    return topics.read(Topics.SMS_DELIVERY).stream()
        .filter(r -> r.getSource() == ReportSource.SENDER)
        .filter(r -> r.getMessageSid() != null && r.getAttempts() == 0)
        .count();
  }

  private Set<String> commandIds() {
    return topics.read(Topics.SMS_OUTBOUND).stream()
        .map(SmsSendRequested::getCommandId)
        .collect(Collectors.toSet());
  }

  private Map<String, Long> senderReportsPerCommand() {
    return countBy(
        topics.read(Topics.SMS_DELIVERY).stream()
            .filter(r -> r.getSource() == ReportSource.SENDER)
            .toList(),
        SmsDeliveryReport::getCommandId);
  }

  private String smsLine(SmsTally sms) {
    return "code SMS received "
        + sms.total()
        + " for "
        + sms.perPhone().size()
        + " commands: sent twice "
        + sms.extra()
        + " ("
        + sms.phonesWithMoreThanOne()
        + " phones); found at the provider after the kill and reported, not sent again "
        + recoveredReports();
  }

  private void report(String kill, String... lines) {
    System.out.println(
        "KillMidFlightIT, killed while "
            + kill
            + " (optin output in "
            + running.log().getParent()
            + "):");
    for (String line : lines) {
      System.out.println("  " + line);
    }
  }

  private static <T> Map<String, Long> countBy(List<T> values, Function<T, String> key) {
    return values.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
  }

  /**
   * Fictional North American numbers (555-01xx), valid mobile-capable numbers for the signup
   * screen.
   */
  private static List<String> phones(int count) {
    return IntStream.range(0, count).mapToObj(i -> String.format("+1415555%04d", 100 + i)).toList();
  }
}
