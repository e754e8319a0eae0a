package io.optin.replies.matching;

import static io.optin.replies.matching.Challenges.CODES;
import static io.optin.replies.matching.Challenges.OUR_NUMBER;
import static io.optin.replies.matching.Challenges.PHONE;
import static io.optin.replies.matching.Challenges.hashOfCode;
import static io.optin.replies.matching.Challenges.issued;
import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ConfirmationMethod;
import io.optin.avro.InboundSms;
import io.optin.avro.ReplyIntent;
import io.optin.avro.SubscriberConfirmed;
import io.optin.avro.VerificationAttempt;
import io.optin.kit.config.Settings;
import io.optin.kit.streams.RecordFailures;
import io.optin.replies.RepliesSettings;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
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
  private TopologyTestDriver driver;
  private TestInputTopic<String, ChallengeEvent> challenges;
  private TestInputTopic<String, InboundSms> inbound;
  private TestInputTopic<String, VerificationAttempt> attempts;
  private TestOutputTopic<String, SubscriberConfirmed> confirmations;

  @BeforeEach
  void startDriver() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "reply-before-challenge-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    RecordFailures.configure(props, null);
    ReplyTopologyConfig config =
        ReplyTopologyConfig.from(Settings.defaults(RepliesSettings.CATALOGUE));
    driver = new TopologyTestDriver(ReplyTopology.build(config, serdes, CODES), props, T0);
    challenges = input(Topics.CHALLENGES);
    inbound = input(Topics.SMS_INBOUND);
    attempts = input(Topics.VERIFICATION_ATTEMPTS);
    confirmations =
        driver.createOutputTopic(
            Topics.CONFIRMED_SUBSCRIBERS.name(),
            new StringDeserializer(),
            serdes.forTopic(Topics.CONFIRMED_SUBSCRIBERS).deserializer());
  }

  @AfterEach
  void closeDriver() {
    driver.close();
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
    KeyValueStore<String, OutcomeEntry> store = driver.getKeyValueStore(ReplyStores.OUTCOMES);
    OutcomeEntry entry = store.get(id);
    return entry == null ? null : entry.outcome();
  }

  private PhoneChallenges challengesOf(String phone) {
    KeyValueStore<String, PhoneChallenges> store = driver.getKeyValueStore(ReplyStores.CHALLENGES);
    PhoneChallenges known = store.get(phone);
    return known == null ? PhoneChallenges.EMPTY : known;
  }

  private <V extends SpecificRecord> TestInputTopic<String, V> input(Topic<V> topic) {
    return driver.createInputTopic(
        topic.name(), new StringSerializer(), serdes.forTopic(topic).serializer());
  }
}
