package io.optin.replies.matching;

import static io.optin.replies.matching.Challenges.CODES;
import static io.optin.replies.matching.Challenges.OUR_NUMBER;
import static io.optin.replies.matching.Challenges.PHONE;
import static io.optin.replies.matching.Challenges.SUBJECTS;
import static io.optin.replies.matching.Challenges.issued;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ErasureRequested;
import io.optin.avro.InboundSms;
import io.optin.avro.OptInStatus;
import io.optin.avro.ReplyIntent;
import io.optin.avro.SubscriberConfirmed;
import io.optin.avro.SubscriberStatus;
import io.optin.kit.config.Settings;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.replies.RepliesSettings;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An erasure request (subject key only) makes the reply topology forget the phone and write a
 * tombstone for each of its status keys and for its confirmation key; other phones are untouched.
 */
class ReplyErasureTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Duration WINDOW = Duration.ofMinutes(10);
  private static final String CONFIRMED_PROGRAM = "autumn-news";
  private static final String PENDING_PROGRAM = "spring-sale";
  private static final String OTHER_PHONE = "+14155550177";

  @TempDir Path stateDir;

  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  private final ReplyTopologyConfig config =
      ReplyTopologyConfig.from(Settings.defaults(RepliesSettings.CATALOGUE));
  private ReplyDriver replies;
  private TestInputTopic<String, ChallengeEvent> challenges;
  private TestInputTopic<String, InboundSms> inbound;
  private TestInputTopic<String, ErasureRequested> erasures;
  private TestOutputTopic<String, ChallengeEvent> challengeEvents;
  private TestOutputTopic<String, SubscriberConfirmed> confirmations;
  private TestOutputTopic<String, SubscriberStatus> statuses;

  @BeforeEach
  void startDriver() {
    replies =
        new ReplyDriver(
            "reply-erasure-test",
            ReplyTopology.build(config, serdes, CODES, SUBJECTS, OptinMetrics.unexposed()),
            serdes,
            stateDir,
            T0);
    challenges = replies.input(Topics.CHALLENGES);
    inbound = replies.input(Topics.SMS_INBOUND);
    erasures = replies.input(Topics.CONSENT_ERASURES);
    challengeEvents = replies.output(Topics.CHALLENGES);
    confirmations = replies.output(Topics.CONFIRMED_SUBSCRIBERS);
    statuses = replies.output(Topics.SUBSCRIBER_STATUS);

    // Given the phone confirmed in one program and pending in another, and a second phone pending
    challenges.pipeInput(PHONE, issued("ch-1", CONFIRMED_PROGRAM, T0, T0.plus(WINDOW)), T0);
    reply("SM-yes", ReplyIntent.CONFIRM, T0.plusSeconds(20));
    Instant t1 = T0.plusSeconds(60);
    challenges.pipeInput(PHONE, issued("ch-2", PENDING_PROGRAM, t1, t1.plus(WINDOW)), t1);
    ChallengeEvent other =
        ChallengeEvent.newBuilder(issued("ch-3", PENDING_PROGRAM, t1, t1.plus(WINDOW)))
            .setPhone(OTHER_PHONE)
            .build();
    challenges.pipeInput(OTHER_PHONE, other, t1);
    assertThat(confirmations.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(PHONE);
    assertThat(statuses.readKeyValuesToList())
        .extracting(kv -> kv.key + "=" + kv.value.getStatus())
        .containsExactly(
            CONFIRMED_PROGRAM + ":" + PHONE + "=PENDING",
            CONFIRMED_PROGRAM + ":" + PHONE + "=CONFIRMED",
            PENDING_PROGRAM + ":" + PHONE + "=PENDING",
            PENDING_PROGRAM + ":" + OTHER_PHONE + "=PENDING");
    challengeEvents.readValuesToList();
  }

  @AfterEach
  void closeDriver() {
    replies.close();
  }

  @Test
  void shouldWriteATombstonePerStatusKeyAndForTheConfirmationKeyAndForgetThePhone() {
    // When the phone's subject is erased
    Instant at = T0.plusSeconds(120);
    erasures.pipeInput(SUBJECTS.keyFor(PHONE), erasure(SUBJECTS.keyFor(PHONE), at), at);

    // Then each of its status keys and its confirmation key get a tombstone, at the request's time
    assertThat(statuses.readRecordsToList())
        .extracting(r -> KeyValue.pair(r.key(), r.value()), r -> r.getRecordTime())
        .containsExactly(
            tuple(KeyValue.pair(CONFIRMED_PROGRAM + ":" + PHONE, null), at),
            tuple(KeyValue.pair(PENDING_PROGRAM + ":" + PHONE, null), at));
    assertThat(confirmations.readRecordsToList())
        .extracting(r -> KeyValue.pair(r.key(), r.value()), r -> r.getRecordTime())
        .containsExactly(tuple(KeyValue.pair(PHONE, null), at));
    // And no CLOSED event carries the phone again
    assertThat(challengeEvents.isEmpty()).isTrue();
    // And no store of the task holds the phone any more; the other phone is as it was
    assertThat(keysOf(ReplyStores.CHALLENGES)).containsExactly(OTHER_PHONE);
    assertThat(keysOf(ReplyStores.SUBSCRIBER_STATUS)).containsExactly(OTHER_PHONE);
    assertThat(keysOf(ReplyStores.EXPIRIES))
        .singleElement()
        .satisfies(key -> assertThat(key).contains(OTHER_PHONE).doesNotContain(PHONE));
  }

  @Test
  void shouldNeitherExpireNorConfirmAnErasedChallengeLater() {
    // Given the phone erased while its second challenge was open
    Instant at = T0.plusSeconds(120);
    erasures.pipeInput(SUBJECTS.keyFor(PHONE), erasure(SUBJECTS.keyFor(PHONE), at), at);
    statuses.readRecordsToList();
    confirmations.readRecordsToList();

    // When a YES for it arrives, then its deadline passes
    reply("SM-late-yes", ReplyIntent.CONFIRM, at.plusSeconds(5));
    replies.driver.advanceWallClockTime(WINDOW.plus(config.expiryGrace()).plusMinutes(2));

    // Then the answer finds no challenge, and only the other phone's challenge expires
    assertThat(replies.outcome("SM-late-yes")).isEqualTo("NO_CHALLENGE");
    assertThat(confirmations.isEmpty()).isTrue();
    assertThat(challengeEvents.readKeyValuesToList())
        .extracting(kv -> kv.key + "=" + kv.value.getOutcome())
        .containsExactly(OTHER_PHONE + "=EXPIRED");
    assertThat(statuses.readKeyValuesToList())
        .extracting(kv -> kv.key + "=" + (kv.value == null ? null : kv.value.getStatus()))
        .containsExactly(PENDING_PROGRAM + ":" + OTHER_PHONE + "=" + OptInStatus.EXPIRED);
  }

  @Test
  void shouldChangeNothingForASubjectThisTaskDoesNotHold() {
    // When a subject unknown to the reply processor is erased
    Instant at = T0.plusSeconds(120);
    String unknown = SUBJECTS.keyFor("+14155550999");
    erasures.pipeInput(unknown, erasure(unknown, at), at);

    // Then nothing is written and nothing is forgotten
    assertThat(statuses.isEmpty()).isTrue();
    assertThat(confirmations.isEmpty()).isTrue();
    assertThat(challengeEvents.isEmpty()).isTrue();
    assertThat(keysOf(ReplyStores.SUBSCRIBER_STATUS)).containsExactly(PHONE, OTHER_PHONE);
    assertThat(keysOf(ReplyStores.CHALLENGES)).containsExactly(PHONE, OTHER_PHONE);
  }

  private void reply(String sid, ReplyIntent intent, Instant at) {
    inbound.pipeInput(
        PHONE,
        InboundSms.newBuilder()
            .setMessageSid(sid)
            .setPhone(PHONE)
            .setToNumber(OUR_NUMBER)
            .setIntent(intent)
            .setMaskedBody(intent.name())
            .setReceivedAt(at)
            .build(),
        at);
  }

  private static ErasureRequested erasure(String subjectKey, Instant at) {
    return ErasureRequested.newBuilder()
        .setRequestId("req-" + at.toEpochMilli())
        .setSubjectKey(subjectKey)
        .setRequestedBy("dpo")
        .setReason("ticket 4411")
        .setRequestedAt(at)
        .build();
  }

  private List<String> keysOf(String storeName) {
    KeyValueStore<String, ?> store = replies.driver.getKeyValueStore(storeName);
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, ?> it = store.all()) {
      it.forEachRemaining(entry -> keys.add(entry.key));
    }
    return keys;
  }
}
