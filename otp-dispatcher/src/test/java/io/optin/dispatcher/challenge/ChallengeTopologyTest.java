package io.optin.dispatcher.challenge;

import static io.optin.dispatcher.challenge.Signups.signup;
import static io.optin.dispatcher.challenge.Signups.signupId;
import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.DeadLetter;
import io.optin.avro.ErasureRequested;
import io.optin.avro.InboundSms;
import io.optin.avro.ReplyIntent;
import io.optin.avro.SignupRejected;
import io.optin.avro.SignupRequested;
import io.optin.avro.SmsKind;
import io.optin.avro.SmsSendRequested;
import io.optin.avro.SourceChannel;
import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.SubjectKeys;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher's decisions, driven through the real topology with real Avro bytes in the
 * Confluent wire format; every test reads the whole output of every output topic.
 */
class ChallengeTopologyTest {

  private static final String PHONE = "+14155550100";
  private static final String PROGRAM = "acme-deals";
  private static final String FROM = "+15005550006";
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Instant WALL_CLOCK = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration EXPIRY = Duration.ofMinutes(10);
  private static final ChallengeTopologyConfig CONFIG =
      new ChallengeTopologyConfig(EXPIRY, Duration.ofSeconds(60), 2, FROM, null);
  static final SubjectKeys SUBJECTS =
      new SubjectKeys("test-subject-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8));
  private static final OtpCodes CODES =
      OtpCodes.fromSettings("test-otp-secret-of-at-least-32-bytes!", 6);

  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  private final AtomicInteger counter = new AtomicInteger();
  private final List<String> issuedIds = new ArrayList<>();
  private final List<byte[]> everyOutputByte = new ArrayList<>();
  private final Map<String, TestOutputTopic<byte[], byte[]>> outputs = new LinkedHashMap<>();

  @TempDir Path stateDir;

  private TopologyTestDriver driver;
  private TestInputTopic<String, SignupRequested> signups;
  private TestInputTopic<byte[], byte[]> rawSignups;
  private TestInputTopic<String, ChallengeEvent> challenges;
  private TestInputTopic<String, InboundSms> inbound;

  @BeforeEach
  void startDriver() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, ChallengeTopology.APPLICATION_ID);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver =
        new TopologyTestDriver(
            ChallengeTopology.build(CONFIG, serdes, SUBJECTS, this::nextId), props, WALL_CLOCK);
    signups =
        driver.createInputTopic(
            Topics.SIGNUP_REQUESTS.name(),
            new StringSerializer(),
            serdes.forTopic(Topics.SIGNUP_REQUESTS).serializer());
    rawSignups =
        driver.createInputTopic(
            Topics.SIGNUP_REQUESTS.name(), new ByteArraySerializer(), new ByteArraySerializer());
    challenges =
        driver.createInputTopic(
            Topics.CHALLENGES.name(),
            new StringSerializer(),
            serdes.forTopic(Topics.CHALLENGES).serializer());
    inbound =
        driver.createInputTopic(
            Topics.SMS_INBOUND.name(),
            new StringSerializer(),
            serdes.forTopic(Topics.SMS_INBOUND).serializer());
    for (Topic<?> topic :
        List.of(
            Topics.CHALLENGES, Topics.SMS_OUTBOUND, Topics.SIGNUP_REJECTS, Topics.DEAD_LETTERS)) {
      outputs.put(
          topic.name(),
          driver.createOutputTopic(
              topic.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    }
  }

  @AfterEach
  void noPlaintextCodeWasPublished() {
    try {
      drainAll();
      for (String challengeId : issuedIds) {
        byte[] code = CODES.codeFor(challengeId).getBytes(StandardCharsets.UTF_8);
        assertThat(everyOutputByte).noneMatch(bytes -> contains(bytes, code));
      }
    } finally {
      driver.close();
    }
  }

  @Test
  void shouldIssueChallengeAndOneSmsCommandOnFirstSignup() {
    // When a phone signs up for the first time
    signups.pipeInput(PHONE, signup(signupId(1), PROGRAM, PHONE, T0), T0);

    // Then one challenge opens for ten minutes and exactly one SMS is asked for
    assertThat(read(Topics.CHALLENGES))
        .containsExactly(KeyValue.pair(PHONE, issued(id(1), signupId(1), T0)));
    assertThat(read(Topics.SMS_OUTBOUND))
        .containsExactly(KeyValue.pair(PHONE, sendCode(id(2), id(1), T0)));
    assertNothingElse();
  }

  @Test
  void shouldSuppressRepeatedSignupWithinCooldown() {
    // Given a challenge issued at T0
    signups.pipeInput(PHONE, signup(signupId(1), PROGRAM, PHONE, T0), T0);
    drainAll();

    // When the phone signs up again 30 s later
    signups.pipeInput(
        PHONE, signup(signupId(2), PROGRAM, PHONE, T0.plusSeconds(30)), T0.plusSeconds(30));

    // Then nothing is sent: the signup is recorded as suppressed against the open challenge
    assertThat(read(Topics.CHALLENGES))
        .containsExactly(
            KeyValue.pair(
                PHONE,
                suppressed(
                    id(1),
                    signupId(2),
                    T0,
                    T0.plus(EXPIRY),
                    0,
                    ChallengeOutcome.OPEN,
                    ChallengeDecider.RESEND_COOLDOWN,
                    T0.plusSeconds(30))));
    assertNothingElse();
  }

  @Test
  void shouldResendSameChallengeAfterCooldown() {
    // Given a challenge issued at T0
    signups.pipeInput(PHONE, signup(signupId(1), PROGRAM, PHONE, T0), T0);
    drainAll();

    // When the phone signs up again 90 s later
    Instant t = T0.plusSeconds(90);
    signups.pipeInput(PHONE, signup(signupId(2), PROGRAM, PHONE, t), t);

    // Then the same challenge, same window, is texted again under a new command
    ChallengeEvent resent = issued(id(1), signupId(1), T0);
    resent.setType(ChallengeEventType.RESENT);
    resent.setResendCount(1);
    resent.setOccurredAt(t);
    assertThat(read(Topics.CHALLENGES)).containsExactly(KeyValue.pair(PHONE, resent));
    SmsSendRequested command = sendCode(id(3), id(1), t);
    command.setExpiresAt(T0.plus(EXPIRY));
    assertThat(read(Topics.SMS_OUTBOUND)).containsExactly(KeyValue.pair(PHONE, command));
    assertNothingElse();
  }

  @Test
  void shouldStopResendingAtResendLimit() {
    // Given a challenge sent, then sent again twice (the limit)
    signups.pipeInput(PHONE, signup(signupId(1), PROGRAM, PHONE, T0), T0);
    signups.pipeInput(
        PHONE, signup(signupId(2), PROGRAM, PHONE, T0.plusSeconds(60)), T0.plusSeconds(60));
    signups.pipeInput(
        PHONE, signup(signupId(3), PROGRAM, PHONE, T0.plusSeconds(120)), T0.plusSeconds(120));
    assertThat(read(Topics.SMS_OUTBOUND)).hasSize(3);
    drainAll();

    // When the phone asks a fourth time, well after the cooldown
    Instant t = T0.plusSeconds(300);
    signups.pipeInput(PHONE, signup(signupId(4), PROGRAM, PHONE, t), t);

    // Then it is suppressed and nothing is sent
    assertThat(read(Topics.CHALLENGES))
        .containsExactly(
            KeyValue.pair(
                PHONE,
                suppressed(
                    id(1),
                    signupId(4),
                    T0,
                    T0.plus(EXPIRY),
                    2,
                    ChallengeOutcome.OPEN,
                    ChallengeDecider.RESEND_LIMIT,
                    t)));
    assertNothingElse();
  }

  @Test
  void shouldSuppressSignupOfConfirmedSubscriber() {
    // Given a challenge the reply processor closed as CONFIRMED
    signups.pipeInput(PHONE, signup(signupId(1), PROGRAM, PHONE, T0), T0);
    challenges.pipeInput(
        PHONE,
        closed(id(1), ChallengeOutcome.CONFIRMED, null, T0.plusSeconds(40)),
        T0.plusSeconds(40));
    drainAll();

    // When the subscriber signs up again after the window
    Instant t = T0.plus(Duration.ofHours(1));
    signups.pipeInput(PHONE, signup(signupId(2), PROGRAM, PHONE, t), t);

    // Then they are told apart as already subscribed and get no SMS
    assertThat(read(Topics.CHALLENGES))
        .containsExactly(
            KeyValue.pair(
                PHONE,
                suppressed(
                    id(1),
                    signupId(2),
                    t,
                    t,
                    0,
                    ChallengeOutcome.CONFIRMED,
                    ChallengeDecider.ALREADY_SUBSCRIBED,
                    t)));
    assertNothingElse();
  }

  @Test
  void shouldForgetAnErasedPhoneSoItsNextSignupIsANewConsent() {
    // Given a confirmed subscriber, and another phone that texted STOP
    String other = "+14155550177";
    signups.pipeInput(PHONE, signup(signupId(1), PROGRAM, PHONE, T0), T0);
    challenges.pipeInput(
        PHONE,
        closed(id(1), ChallengeOutcome.CONFIRMED, null, T0.plusSeconds(40)),
        T0.plusSeconds(40));
    inbound.pipeInput(
        other,
        InboundSms.newBuilder(reply("SM9", ReplyIntent.STOP, T0)).setPhone(other).build(),
        T0);
    drainAll();

    // When the subscriber's subject is erased (the request names only its subject key)
    Instant erasedAt = T0.plus(Duration.ofMinutes(30));
    driver
        .createInputTopic(
            Topics.CONSENT_ERASURES.name(),
            new StringSerializer(),
            serdes.forTopic(Topics.CONSENT_ERASURES).serializer())
        .pipeInput(
            SUBJECTS.keyFor(PHONE),
            ErasureRequested.newBuilder()
                .setRequestId("req-1")
                .setSubjectKey(SUBJECTS.keyFor(PHONE))
                .setRequestedAt(erasedAt)
                .build(),
            erasedAt);

    // Then nothing is written, the dispatcher no longer knows the phone: its next signup is a new
    // consent and gets a code, while the other phone's STOP still holds
    assertNothingElse();
    KeyValueStore<String, PhoneStanding> store = driver.getKeyValueStore(ChallengeTopology.STORE);
    assertThat(store.get(PHONE)).isNull();
    assertThat(store.get(other).optedOut()).isTrue();
    Instant t = T0.plus(Duration.ofHours(1));
    signups.pipeInput(PHONE, signup(signupId(2), PROGRAM, PHONE, t), t);
    assertThat(read(Topics.CHALLENGES))
        .containsExactly(KeyValue.pair(PHONE, issued(id(3), signupId(2), t)));
    assertThat(read(Topics.SMS_OUTBOUND))
        .containsExactly(KeyValue.pair(PHONE, sendCode(id(4), id(3), t)));
    assertNothingElse();
  }

  @Test
  void shouldSuppressEverySignupAfterStopUntilStart() {
    // Given the phone texted STOP
    inbound.pipeInput(PHONE, reply("SM1", ReplyIntent.STOP, T0), T0);

    // When it signs up
    Instant t1 = T0.plusSeconds(10);
    signups.pipeInput(PHONE, signup(signupId(1), PROGRAM, PHONE, t1), t1);

    // Then it is suppressed as opted out, no SMS
    assertThat(read(Topics.CHALLENGES))
        .containsExactly(
            KeyValue.pair(
                PHONE,
                suppressed(
                    id(1),
                    signupId(1),
                    t1,
                    t1,
                    0,
                    ChallengeOutcome.REJECTED,
                    ChallengeDecider.OPTED_OUT,
                    t1)));
    assertNothingElse();

    // And once it texts START, the next signup opens a challenge
    inbound.pipeInput(
        PHONE, reply("SM2", ReplyIntent.START, T0.plusSeconds(20)), T0.plusSeconds(20));
    Instant t2 = T0.plusSeconds(30);
    signups.pipeInput(PHONE, signup(signupId(2), PROGRAM, PHONE, t2), t2);
    assertThat(read(Topics.CHALLENGES))
        .containsExactly(KeyValue.pair(PHONE, issued(id(2), signupId(2), t2)));
    assertThat(read(Topics.SMS_OUTBOUND))
        .containsExactly(KeyValue.pair(PHONE, sendCode(id(3), id(2), t2)));
    assertNothingElse();
  }

  @Test
  void shouldOpenNewChallengeAfterExpiredOneClosed() {
    // Given a challenge the reply processor closed as EXPIRED
    signups.pipeInput(PHONE, signup(signupId(1), PROGRAM, PHONE, T0), T0);
    Instant closedAt = T0.plus(EXPIRY).plusSeconds(5);
    challenges.pipeInput(
        PHONE, closed(id(1), ChallengeOutcome.EXPIRED, "window passed", closedAt), closedAt);
    drainAll();

    // When the phone signs up again
    Instant t = closedAt.plusSeconds(60);
    signups.pipeInput(PHONE, signup(signupId(2), PROGRAM, PHONE, t), t);

    // Then a new challenge (new id, new code) opens
    assertThat(read(Topics.CHALLENGES))
        .containsExactly(KeyValue.pair(PHONE, issued(id(3), signupId(2), t)));
    assertThat(read(Topics.SMS_OUTBOUND))
        .containsExactly(KeyValue.pair(PHONE, sendCode(id(4), id(3), t)));
    assertNothingElse();
  }

  @Test
  void shouldRejectPoisonSignupAndProcessNextOne() {
    // Given bytes that are no Avro record at all
    byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
    rawSignups.pipeInput(PHONE.getBytes(StandardCharsets.UTF_8), garbage, T0);

    // When a valid signup follows
    signups.pipeInput(
        PHONE, signup(signupId(1), PROGRAM, PHONE, T0.plusSeconds(1)), T0.plusSeconds(1));

    // Then the garbage is kept with its bytes and origin, and the next signup opens a challenge
    List<KeyValue<String, SignupRejected>> rejects = read(Topics.SIGNUP_REJECTS);
    assertThat(rejects).hasSize(1);
    SignupRejected rejected = rejects.get(0).value;
    assertThat(rejects.get(0).key).isEqualTo(PHONE);
    assertThat(rejected.getRejectId()).isEqualTo(id(1));
    assertThat(rejected.getReason()).startsWith("undeserialisable record");
    assertThat(rejected.getField()).isNull();
    assertThat(rejected.getRawValue()).isEqualTo(ByteBuffer.wrap(garbage));
    assertThat(rejected.getRawKey())
        .isEqualTo(ByteBuffer.wrap(PHONE.getBytes(StandardCharsets.UTF_8)));
    assertThat(rejected.getSourceTopic()).isEqualTo(Topics.SIGNUP_REQUESTS.name());
    assertThat(rejected.getSourcePartition()).isZero();
    assertThat(rejected.getSourceOffset()).isZero();
    assertThat(rejected.getRejectedAt()).isEqualTo(WALL_CLOCK);
    Instant t = T0.plusSeconds(1);
    assertThat(read(Topics.CHALLENGES))
        .containsExactly(KeyValue.pair(PHONE, issued(id(2), signupId(1), t)));
    assertThat(read(Topics.SMS_OUTBOUND))
        .containsExactly(KeyValue.pair(PHONE, sendCode(id(3), id(2), t)));
    assertNothingElse();
  }

  @Test
  void shouldRejectSignupWithInvalidPhoneNamingTheField() {
    // Given a signup whose phone is no mobile number
    SignupRequested bad = signup(signupId(1), PROGRAM, "+1555555555", T0);

    // When it arrives
    signups.pipeInput("+1555555555", bad, T0);

    // Then it is rejected on field "phone" with its exact bytes, and nothing else happens
    List<KeyValue<String, SignupRejected>> rejects = read(Topics.SIGNUP_REJECTS);
    assertThat(rejects).hasSize(1);
    SignupRejected rejected = rejects.get(0).value;
    assertThat(rejected.getField()).isEqualTo("phone");
    assertThat(rejected.getReason()).isNotBlank();
    assertThat(rejected.getRawValue())
        .isEqualTo(
            ByteBuffer.wrap(
                serdes.forTopic(Topics.SIGNUP_REQUESTS).serializer().serialize("x", bad)));
    assertNothingElse();
  }

  @Test
  void shouldRejectSignupKeyedByAnotherPhone() {
    // When a valid signup arrives under a key that is not its phone (it would land in another
    // phone's partition)
    signups.pipeInput("+14155550199", signup(signupId(1), PROGRAM, PHONE, T0), T0);

    // Then it is rejected rather than decided without the phone's STOP history
    List<KeyValue<String, SignupRejected>> rejects = read(Topics.SIGNUP_REJECTS);
    assertThat(rejects)
        .singleElement()
        .satisfies(
            kv -> {
              assertThat(kv.key).isEqualTo("+14155550199");
              assertThat(kv.value.getField()).isEqualTo("phone");
              assertThat(kv.value.getReason()).isEqualTo(SignupProcessor.KEY_MISMATCH);
            });
    assertNothingElse();
  }

  @Test
  void shouldDeadLetterPoisonReplyAndKeepApplyingStop() {
    // Given a poison record on the inbound topic
    byte[] garbage = {0, 0, 0, 0, 42, 1, 2, 3};
    driver
        .createInputTopic(
            Topics.SMS_INBOUND.name(), new ByteArraySerializer(), new ByteArraySerializer())
        .pipeInput(PHONE.getBytes(StandardCharsets.UTF_8), garbage, T0);

    // When a STOP follows, then a signup
    inbound.pipeInput(PHONE, reply("SM1", ReplyIntent.STOP, T0.plusSeconds(1)), T0.plusSeconds(1));
    signups.pipeInput(
        PHONE, signup(signupId(1), PROGRAM, PHONE, T0.plusSeconds(2)), T0.plusSeconds(2));

    // Then the poison is a dead letter and the STOP still suppresses the signup
    List<KeyValue<String, DeadLetter>> deadLetters = read(Topics.DEAD_LETTERS);
    assertThat(deadLetters)
        .singleElement()
        .satisfies(
            kv -> {
              assertThat(kv.value.getApplication()).isEqualTo(ChallengeTopology.APPLICATION_ID);
              assertThat(kv.value.getSourceTopic()).isEqualTo(Topics.SMS_INBOUND.name());
              assertThat(kv.value.getRawValue()).isEqualTo(ByteBuffer.wrap(garbage));
            });
    assertThat(read(Topics.CHALLENGES))
        .singleElement()
        .satisfies(kv -> assertThat(kv.value.getReason()).isEqualTo(ChallengeDecider.OPTED_OUT));
    assertNothingElse();
  }

  // --- expected records
  // -------------------------------------------------------------------------------------

  private ChallengeEvent issued(String challengeId, String signupId, Instant t) {
    return ChallengeEvent.newBuilder()
        .setChallengeId(challengeId)
        .setType(ChallengeEventType.ISSUED)
        .setSignupId(signupId)
        .setProgramId(PROGRAM)
        .setPhone(PHONE)
        .setFromNumber(FROM)
        .setIssuedAt(t)
        .setExpiresAt(t.plus(EXPIRY))
        .setResendCount(0)
        .setOutcome(ChallengeOutcome.OPEN)
        .setFailedAttempts(0)
        .setReason(null)
        .setLocale("en-US")
        .setChannel(SourceChannel.WEB_FORM)
        .setConsentTextSha256(
            signup(signupId, PROGRAM, PHONE, t).getEvidence().getConsentTextSha256())
        .setRequestedAt(t)
        .setOccurredAt(t)
        .build();
  }

  private ChallengeEvent suppressed(
      String challengeId,
      String signupId,
      Instant issuedAt,
      Instant expiresAt,
      int resendCount,
      ChallengeOutcome outcome,
      String reason,
      Instant t) {
    ChallengeEvent event = issued(challengeId, signupId, t);
    event.setType(ChallengeEventType.SUPPRESSED);
    event.setFromNumber(null);
    event.setIssuedAt(issuedAt);
    event.setExpiresAt(expiresAt);
    event.setResendCount(resendCount);
    event.setOutcome(outcome);
    event.setReason(reason);
    return event;
  }

  private static SmsSendRequested sendCode(String commandId, String challengeId, Instant t) {
    return SmsSendRequested.newBuilder()
        .setCommandId(commandId)
        .setKind(SmsKind.CONFIRMATION_CODE)
        .setChallengeId(challengeId)
        .setProgramId(PROGRAM)
        .setPhone(PHONE)
        .setFromNumber(FROM)
        .setLocale("en-US")
        .setExpiresAt(t.plus(EXPIRY))
        .setRequestedAt(t)
        .build();
  }

  private static ChallengeEvent closed(
      String challengeId, ChallengeOutcome outcome, String reason, Instant at) {
    return ChallengeEvent.newBuilder()
        .setChallengeId(challengeId)
        .setType(ChallengeEventType.CLOSED)
        .setSignupId(signupId(1))
        .setProgramId(PROGRAM)
        .setPhone(PHONE)
        .setIssuedAt(T0)
        .setExpiresAt(T0.plus(EXPIRY))
        .setOutcome(outcome)
        .setReason(reason)
        .setChannel(SourceChannel.WEB_FORM)
        .setOccurredAt(at)
        .build();
  }

  private static InboundSms reply(String sid, ReplyIntent intent, Instant at) {
    return InboundSms.newBuilder()
        .setMessageSid(sid)
        .setPhone(PHONE)
        .setToNumber(FROM)
        .setIntent(intent)
        .setCodeHash(null)
        .setMaskedBody(intent.name())
        .setReceivedAt(at)
        .build();
  }

  // --- plumbing
  // -----------------------------------------------------------------------------------------------

  /** Ids shaped like UUIDs, numbered in the order the topology asks for them. */
  private String nextId() {
    String id = id(counter.incrementAndGet());
    issuedIds.add(id);
    return id;
  }

  private static String id(int n) {
    return String.format("00000000-0000-4000-a000-%012d", n);
  }

  /**
   * Every record of an output topic since the last read, decoded; its raw bytes are kept for the
   * code check.
   */
  private <V extends SpecificRecord> List<KeyValue<String, V>> read(Topic<V> topic) {
    List<KeyValue<String, V>> records = new ArrayList<>();
    for (TestRecord<byte[], byte[]> record : outputs.get(topic.name()).readRecordsToList()) {
      keep(record);
      String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      records.add(
          KeyValue.pair(
              key,
              serdes.forTopic(topic).deserializer().deserialize(topic.name(), record.value())));
    }
    return records;
  }

  private void assertNothingElse() {
    outputs.forEach(
        (name, topic) -> assertThat(topic.isEmpty()).as("more records on " + name).isTrue());
  }

  private void drainAll() {
    outputs.values().forEach(topic -> topic.readRecordsToList().forEach(this::keep));
  }

  private void keep(TestRecord<byte[], byte[]> record) {
    if (record.key() != null) {
      everyOutputByte.add(record.key());
    }
    everyOutputByte.add(record.value());
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    // ISO-8859-1 maps each byte to one char, so this is an exact byte-sequence search.
    return new String(haystack, StandardCharsets.ISO_8859_1)
        .contains(new String(needle, StandardCharsets.ISO_8859_1));
  }
}
