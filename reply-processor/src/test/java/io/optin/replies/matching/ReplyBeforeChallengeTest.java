package io.optin.replies.matching;

import static io.optin.replies.matching.Challenges.CODES;
import static io.optin.replies.matching.Challenges.OUR_NUMBER;
import static io.optin.replies.matching.Challenges.PHONE;
import static io.optin.replies.matching.Challenges.hashOfCode;
import static io.optin.replies.matching.Challenges.issued;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConfirmationMethod;
import io.optin.avro.InboundSms;
import io.optin.avro.OptInStatus;
import io.optin.avro.ReplyIntent;
import io.optin.avro.SubscriberConfirmed;
import io.optin.avro.SubscriberStatus;
import io.optin.avro.VerificationAttempt;
import io.optin.kit.config.Settings;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.replies.RepliesSettings;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An answer read before the challenge it answers: the challenge and the answer come from two
 * topics, and a reply processor that lags on one of them (restart, rebalance, backlog) reads the
 * answer first. It must confirm all the same once the challenge arrives, at its own event time.
 */
class ReplyBeforeChallengeTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant EXPIRES = T0.plus(Duration.ofMinutes(10));
  private static final String PROGRAM = "spring-sale";

  @TempDir Path stateDir;

  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  private final List<String> decided = new CopyOnWriteArrayList<>();
  private ReplyDriver replies;
  private TopologyTestDriver driver;
  private TestInputTopic<String, ChallengeEvent> challenges;
  private TestInputTopic<String, InboundSms> inbound;
  private TestInputTopic<String, VerificationAttempt> attempts;
  private TestOutputTopic<String, SubscriberConfirmed> confirmations;
  private TestOutputTopic<String, SubscriberStatus> statuses;

  @BeforeEach
  void startDriver() {
    ReplyTopologyConfig config =
        ReplyTopologyConfig.from(Settings.defaults(RepliesSettings.CATALOGUE));
    replies =
        new ReplyDriver(
            "reply-before-challenge-test",
            ReplyTopology.build(
                config, serdes, CODES, Challenges.SUBJECTS, OptinMetrics.unexposed(), decided::add),
            serdes,
            stateDir,
            T0);
    driver = replies.driver;
    challenges = input(Topics.CHALLENGES);
    inbound = input(Topics.SMS_INBOUND);
    attempts = input(Topics.VERIFICATION_ATTEMPTS);
    confirmations = replies.output(Topics.CONFIRMED_SUBSCRIBERS);
    statuses = replies.output(Topics.SUBSCRIBER_STATUS);
  }

  @AfterEach
  void closeDriver() {
    replies.close();
  }

  @Test
  void shouldConfirmAYesReadBeforeItsChallengeOnceTheChallengeArrives() {
    // Given a YES sent 2 s after the code, read before the challenge
    Instant yesAt = T0.plusSeconds(2);
    reply("SM-fast", ReplyIntent.CONFIRM, null, yesAt);
    assertThat(outcome("SM-fast")).isEqualTo("NO_CHALLENGE");
    assertThat(confirmations.isEmpty()).isTrue();

    // When the challenge is read
    challenges.pipeInput(PHONE, issued("ch-1", PROGRAM, T0, EXPIRES), T0);

    // Then the YES confirms it, once, at the time it was sent
    assertThat(confirmations.readValuesToList())
        .singleElement()
        .satisfies(
            confirmed -> {
              assertThat(confirmed.getChallengeId()).isEqualTo("ch-1");
              assertThat(confirmed.getMethod()).isEqualTo(ConfirmationMethod.REPLY_YES);
              assertThat(confirmed.getConfirmedAt()).isEqualTo(yesAt);
            });
    assertThat(outcome("SM-fast")).isEqualTo("CONFIRMED");
    assertThat(challengesOf(PHONE).parked()).isEmpty();
    // (a webhook waiting for it was woken at each of its two outcomes)
    assertThat(decided).containsExactly("SM-fast", "SM-fast");

    // And a second challenge read later is not confirmed by the same YES
    challenges.pipeInput(PHONE, issued("ch-2", "other", T0, EXPIRES), T0.plusSeconds(3));
    assertThat(confirmations.isEmpty()).isTrue();
  }

  @Test
  void shouldConfirmACodeEntryReadBeforeItsChallenge() {
    // Given
    Instant at = T0.plusSeconds(20);
    attempts.pipeInput(
        PHONE,
        VerificationAttempt.newBuilder()
            .setAttemptId("att-fast")
            .setPhone(PHONE)
            .setProgramId(PROGRAM)
            .setCodeHash(hashOfCode("ch-1"))
            .setIp("203.0.113.7")
            .setAttemptedAt(at)
            .build(),
        at);

    // When
    challenges.pipeInput(PHONE, issued("ch-1", PROGRAM, T0, EXPIRES), T0);

    // Then
    assertThat(confirmations.readValuesToList())
        .extracting(SubscriberConfirmed::getMethod)
        .containsExactly(ConfirmationMethod.CODE_ENTRY);
    assertThat(outcome("att-fast")).isEqualTo("CONFIRMED");
  }

  @Test
  void shouldConfirmNothingWithAnAnswerSentBeforeTheChallengeWasIssued() {
    // Given a YES sent before the code was: it answers nothing that exists yet
    reply("SM-early", ReplyIntent.CONFIRM, null, T0.minusSeconds(5));

    // When the challenge is read
    challenges.pipeInput(PHONE, issued("ch-1", PROGRAM, T0, EXPIRES), T0);

    // Then it stays unconfirmed, and the parked answer is forgotten after its retention
    assertThat(confirmations.isEmpty()).isTrue();
    assertThat(outcome("SM-early")).isEqualTo("NO_CHALLENGE");
    assertThat(challengesOf(PHONE).parked()).extracting(Reply::id).containsExactly("SM-early");
    driver.advanceWallClockTime(ReplyTopologyConfig.PARKED_RETENTION.plusMinutes(2));
    assertThat(challengesOf(PHONE).parked()).isEmpty();
  }

  @Test
  void shouldNotConfirmWithAYesThatAStopFollowed() {
    // Given a YES then a STOP, both read before the challenge
    reply("SM-yes", ReplyIntent.CONFIRM, null, T0.plusSeconds(2));
    reply("SM-stop", ReplyIntent.STOP, null, T0.plusSeconds(3));

    // When the challenge is read
    challenges.pipeInput(PHONE, issued("ch-1", PROGRAM, T0, EXPIRES), T0);

    // Then the STOP won
    assertThat(confirmations.isEmpty()).isTrue();
    assertThat(challengesOf(PHONE).parked()).isEmpty();
    assertThat(challengesOf(PHONE).closed())
        .extracting(ClosedChallenge::outcome)
        .containsExactly(ChallengeOutcome.REJECTED);
  }

  @Test
  void shouldOptOutWithAStopReadBeforeItsChallenge() {
    // Given a STOP sent 2 s after the code, read before the challenge (ScaleOutIT saw 8 of 2,000
    // phones left PENDING this way)
    Instant stopAt = T0.plusSeconds(2);
    reply("SM-stop", ReplyIntent.STOP, null, stopAt);
    assertThat(statuses.isEmpty()).isTrue();

    // When the challenge is read
    challenges.pipeInput(PHONE, issued("ch-1", PROGRAM, T0, EXPIRES), T0);

    // Then it closes REJECTED at the STOP's time and the phone ends opted out
    assertThat(statuses.readValuesToList())
        .extracting(SubscriberStatus::getStatus, SubscriberStatus::getReason)
        .containsExactly(
            tuple(OptInStatus.PENDING, "code sent"),
            tuple(OptInStatus.OPTED_OUT, "opted out by STOP"));
    assertThat(challengesOf(PHONE).open()).isEmpty();
    assertThat(challengesOf(PHONE).closed())
        .singleElement()
        .satisfies(
            closed -> {
              assertThat(closed.outcome()).isEqualTo(ChallengeOutcome.REJECTED);
              assertThat(closed.closedAt()).isEqualTo(stopAt.toEpochMilli());
            });

    // And a YES sent later confirms nothing
    reply("SM-yes", ReplyIntent.CONFIRM, null, T0.plusSeconds(4));
    assertThat(confirmations.isEmpty()).isTrue();
  }

  @Test
  void shouldLeaveAChallengeIssuedAfterTheStopOpen() {
    // Given a STOP, then a code sent later (a new signup), read in that order
    reply("SM-stop", ReplyIntent.STOP, null, T0.minusSeconds(30));

    // When
    challenges.pipeInput(PHONE, issued("ch-1", PROGRAM, T0, EXPIRES), T0);

    // Then the new challenge is open, and the STOP is forgotten after the parked retention
    assertThat(statuses.readValuesToList())
        .extracting(SubscriberStatus::getStatus)
        .containsExactly(OptInStatus.PENDING);
    assertThat(challengesOf(PHONE).open()).hasSize(1);
    driver.advanceWallClockTime(ReplyTopologyConfig.PARKED_RETENTION.plusMinutes(2));
    assertThat(challengesOf(PHONE).stoppedAt()).isNull();
  }

  @Test
  void shouldForgetTheStopAfterAStartSentLater() {
    // Given a STOP then a START, both read before a challenge issued before the STOP
    reply("SM-stop", ReplyIntent.STOP, null, T0.plusSeconds(2));
    reply("SM-start", ReplyIntent.START, null, T0.plusSeconds(3));

    // When
    challenges.pipeInput(PHONE, issued("ch-1", PROGRAM, T0, EXPIRES), T0);

    // Then the subscriber's last word (START) stands: the challenge stays open
    assertThat(challengesOf(PHONE).open()).hasSize(1);
    assertThat(statuses.readValuesToList())
        .extracting(SubscriberStatus::getStatus)
        .containsExactly(OptInStatus.PENDING);
  }

  @Test
  void shouldParkAFewAnswersPerPhoneAtMost() {
    // When more answers than the bound are read without a challenge
    for (int i = 1; i <= PhoneChallenges.MAX_PARKED + 3; i++) {
      reply("SM-" + i, ReplyIntent.CONFIRM, null, T0.plusSeconds(i));
    }

    // Then only the latest are kept
    assertThat(challengesOf(PHONE).parked())
        .extracting(Reply::id)
        .hasSize(PhoneChallenges.MAX_PARKED)
        .startsWith("SM-4")
        .endsWith("SM-" + (PhoneChallenges.MAX_PARKED + 3));
  }

  private void reply(String sid, ReplyIntent intent, String codeHash, Instant at) {
    inbound.pipeInput(
        PHONE,
        InboundSms.newBuilder()
            .setMessageSid(sid)
            .setPhone(PHONE)
            .setToNumber(OUR_NUMBER)
            .setIntent(intent)
            .setCodeHash(codeHash)
            .setMaskedBody(intent.name())
            .setReceivedAt(at)
            .build(),
        at);
  }

  private String outcome(String id) {
    return replies.outcome(id);
  }

  private PhoneChallenges challengesOf(String phone) {
    return replies.challengesOf(phone);
  }

  private <V extends SpecificRecord> TestInputTopic<String, V> input(Topic<V> topic) {
    return replies.input(topic);
  }
}
