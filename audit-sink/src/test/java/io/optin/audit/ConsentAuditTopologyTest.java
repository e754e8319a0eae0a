package io.optin.audit;

import static io.optin.audit.PipelineRecords.CHALLENGE_ID;
import static io.optin.audit.PipelineRecords.PHONE;
import static io.optin.audit.PipelineRecords.PROGRAM;
import static io.optin.audit.PipelineRecords.SIGNUP_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.DeadLetter;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.ReplyIntent;
import io.optin.avro.ReportSource;
import io.optin.avro.SignupRequested;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.otp.SubjectKeys;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsentAuditTopologyTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant WALL = Instant.parse("2025-03-01T12:00:00Z");
  private static final SubjectKeys SUBJECTS =
      new SubjectKeys("test-subject-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  private static final String SUBJECT = SUBJECTS.keyFor(PHONE);

  @TempDir
  Path stateDir;

  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  private TopologyTestDriver driver;
  private TestOutputTopic<String, ConsentAuditRecord> audit;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  @BeforeEach
  void start() {
    driver = newDriver(stateDir.resolve("a"));
    audit = driver.createOutputTopic(Topics.CONSENT_AUDIT.name(), Serdes.String().deserializer(),
        serdes.forTopic(Topics.CONSENT_AUDIT).deserializer());
    deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), Serdes.String().deserializer(),
        serdes.forTopic(Topics.DEAD_LETTERS).deserializer());
  }

  private TopologyTestDriver newDriver(Path dir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "optin-audit-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
    return new TopologyTestDriver(
        ConsentAuditTopology.build(ConsentAuditTopologyConfig.of(SUBJECTS, 6), serdes), props, WALL);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private <V extends SpecificRecord> void pipe(TopologyTestDriver into, Topic<V> topic, String key, V value,
      Instant at) {
    TestInputTopic<String, V> input = into.createInputTopic(topic.name(), Serdes.String().serializer(),
        serdes.forTopic(topic).serializer());
    input.pipeInput(key, value, at);
  }

  private <V extends SpecificRecord> void pipe(Topic<V> topic, String key, V value, Instant at) {
    pipe(driver, topic, key, value, at);
  }

  /** The audit record every step shares, for the record at {@code offset} of {@code topic}. */
  private static ConsentAuditRecord.Builder expected(ConsentEventType type, Topic<?> topic, long offset, Instant at) {
    return ConsentAuditRecord.newBuilder()
        .setEventId(new RecordOrigin(topic.name(), 0, offset).eventId(type.name()))
        .setEventType(type)
        .setOccurredAt(at)
        .setSubjectKey(SUBJECT)
        .setPhone(PHONE)
        .setSourceTopic(topic.name())
        .setSourceOffset(offset);
  }

  @Test
  void shouldRecordASignupAsRequestedWithItsEvidence() {
    // Given a signup on the topic
    pipe(Topics.SIGNUP_REQUESTS, PHONE, PipelineRecords.signup(T0), T0);

    // Then exactly one REQUESTED step, keyed by the subject, with the evidence and no chain fields yet
    assertThat(audit.readKeyValuesToList()).containsExactly(KeyValue.pair(SUBJECT,
        expected(ConsentEventType.REQUESTED, Topics.SIGNUP_REQUESTS, 0, T0)
            .setProgramId(PROGRAM).setSignupId(SIGNUP_ID).setEvidence(PipelineRecords.evidence()).build()));
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldRecordSuppressionsAndEveryWayAChallengeCloses() {
    // Given a challenge's whole life, and other challenges closing each other way
    pipe(Topics.CHALLENGES, PHONE, PipelineRecords.challenge(ChallengeEventType.ISSUED, ChallengeOutcome.OPEN, null,
        T0), T0);
    pipe(Topics.CHALLENGES, PHONE, PipelineRecords.challenge(ChallengeEventType.RESENT, ChallengeOutcome.OPEN, null,
        T0.plusSeconds(60)), T0.plusSeconds(60));
    pipe(Topics.CHALLENGES, PHONE, PipelineRecords.challenge(ChallengeEventType.SUPPRESSED, ChallengeOutcome.OPEN,
        "resend limit reached", T0.plusSeconds(61)), T0.plusSeconds(61));
    ChallengeOutcome[] outcomes = {ChallengeOutcome.CONFIRMED, ChallengeOutcome.EXPIRED, ChallengeOutcome.REJECTED,
        ChallengeOutcome.LOCKED};
    for (int i = 0; i < outcomes.length; i++) {
      Instant at = T0.plusSeconds(100 + i);
      pipe(Topics.CHALLENGES, PHONE, PipelineRecords.challenge(ChallengeEventType.CLOSED, outcomes[i], "reason " + i,
          at), at);
    }

    // Then ISSUED and RESENT give nothing; the rest give one step each with their reason
    ConsentEventType[] types = {ConsentEventType.CONFIRMED, ConsentEventType.EXPIRED, ConsentEventType.REJECTED,
        ConsentEventType.LOCKED};
    List<ConsentAuditRecord> expected = new java.util.ArrayList<>();
    expected.add(expected(ConsentEventType.SUPPRESSED, Topics.CHALLENGES, 2, T0.plusSeconds(61))
        .setProgramId(PROGRAM).setSignupId(SIGNUP_ID).setChallengeId(CHALLENGE_ID).setDetail("resend limit reached")
        .build());
    for (int i = 0; i < types.length; i++) {
      expected.add(expected(types[i], Topics.CHALLENGES, 3 + i, T0.plusSeconds(100 + i))
          .setProgramId(PROGRAM).setSignupId(SIGNUP_ID).setChallengeId(CHALLENGE_ID).setDetail("reason " + i)
          .build());
    }
    assertThat(audit.readValuesToList()).containsExactlyElementsOf(expected);
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldRecordEachDeliveryStepOnceWithMaskedText() {
    // Given the sender's report, its status callbacks (one replayed), and a later failed send
    String sid = "SM" + "0".repeat(32);
    pipe(Topics.SMS_DELIVERY, PHONE, PipelineRecords.delivery(sid, DeliveryStatus.QUEUED, ReportSource.SENDER, null,
        "Acme: your code is ******. Reply STOP to opt out.", T0), T0);
    pipe(Topics.SMS_DELIVERY, PHONE, PipelineRecords.delivery(sid, DeliveryStatus.SENT, ReportSource.STATUS_CALLBACK,
        null, null, T0.plusSeconds(1)), T0.plusSeconds(1));
    pipe(Topics.SMS_DELIVERY, PHONE, PipelineRecords.delivery(sid, DeliveryStatus.DELIVERED,
        ReportSource.STATUS_CALLBACK, null, null, T0.plusSeconds(2)), T0.plusSeconds(2));
    pipe(Topics.SMS_DELIVERY, PHONE, PipelineRecords.delivery(sid, DeliveryStatus.DELIVERED,
        ReportSource.STATUS_CALLBACK, null, null, T0.plusSeconds(3)), T0.plusSeconds(3));
    pipe(Topics.SMS_DELIVERY, PHONE, PipelineRecords.delivery(null, DeliveryStatus.FAILED, ReportSource.SENDER, 21211,
        "Acme: your code is 123456.", T0.plusSeconds(4)), T0.plusSeconds(4));

    // Then SENT once, DELIVERED once, FAILED with its error; a code that slipped through upstream is masked
    assertThat(audit.readValuesToList()).containsExactly(
        expected(ConsentEventType.SENT, Topics.SMS_DELIVERY, 0, T0)
            .setProgramId(PROGRAM).setChallengeId(CHALLENGE_ID).setProviderSid(sid).setProviderStatus("queued")
            .setMessageText("Acme: your code is ******. Reply STOP to opt out.").build(),
        expected(ConsentEventType.DELIVERED, Topics.SMS_DELIVERY, 2, T0.plusSeconds(2))
            .setProgramId(PROGRAM).setChallengeId(CHALLENGE_ID).setProviderSid(sid).setProviderStatus("delivered")
            .build(),
        expected(ConsentEventType.FAILED, Topics.SMS_DELIVERY, 4, T0.plusSeconds(4))
            .setProgramId(PROGRAM).setChallengeId(CHALLENGE_ID).setProviderStatus("failed").setErrorCode(21211)
            .setDetail("provider error 21211").setMessageText("Acme: your code is ******.").build());
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldRecordRepliesWithOptOutAndOptInOncePerMessage() {
    pipe(Topics.SMS_INBOUND, PHONE, PipelineRecords.inbound("SM-in-1", ReplyIntent.CONFIRM, "YES", T0), T0);
    pipe(Topics.SMS_INBOUND, PHONE, PipelineRecords.inbound("SM-in-1", ReplyIntent.CONFIRM, "YES", T0), T0);
    pipe(Topics.SMS_INBOUND, PHONE, PipelineRecords.inbound("SM-in-2", ReplyIntent.STOP, "STOP", T0.plusSeconds(5)),
        T0.plusSeconds(5));
    pipe(Topics.SMS_INBOUND, PHONE, PipelineRecords.inbound("SM-in-3", ReplyIntent.START, "START",
        T0.plusSeconds(9)), T0.plusSeconds(9));

    assertThat(audit.readValuesToList()).containsExactly(
        expected(ConsentEventType.REPLY_RECEIVED, Topics.SMS_INBOUND, 0, T0)
            .setProviderSid("SM-in-1").setMessageText("YES").setDetail("intent CONFIRM").build(),
        expected(ConsentEventType.REPLY_RECEIVED, Topics.SMS_INBOUND, 2, T0.plusSeconds(5))
            .setProviderSid("SM-in-2").setMessageText("STOP").setDetail("intent STOP").build(),
        expected(ConsentEventType.OPTED_OUT, Topics.SMS_INBOUND, 2, T0.plusSeconds(5))
            .setProviderSid("SM-in-2").setMessageText("STOP").setMethod("REPLY_STOP").build(),
        expected(ConsentEventType.REPLY_RECEIVED, Topics.SMS_INBOUND, 3, T0.plusSeconds(9))
            .setProviderSid("SM-in-3").setMessageText("START").setDetail("intent START").build(),
        expected(ConsentEventType.OPTED_IN, Topics.SMS_INBOUND, 3, T0.plusSeconds(9))
            .setProviderSid("SM-in-3").setMessageText("START").setMethod("REPLY_START").build());
  }

  @Test
  void shouldRecordCodeAttemptsOncePerAttempt() {
    pipe(Topics.VERIFICATION_ATTEMPTS, PHONE, PipelineRecords.attempt("attempt-1", T0), T0);
    pipe(Topics.VERIFICATION_ATTEMPTS, PHONE, PipelineRecords.attempt("attempt-1", T0), T0);

    assertThat(audit.readValuesToList()).containsExactly(
        expected(ConsentEventType.CODE_ATTEMPTED, Topics.VERIFICATION_ATTEMPTS, 0, T0)
            .setProgramId(PROGRAM).setMethod("CODE_ENTRY").build());
  }

  @Test
  void shouldRecordRejectsOfAKnownPhoneOnly() {
    pipe(Topics.SIGNUP_REJECTS, PHONE, PipelineRecords.reject("429 too many signups for this phone", "phone", T0),
        T0);
    pipe(Topics.SIGNUP_REJECTS, null, PipelineRecords.reject("400 body is not valid JSON", null, T0), T0);

    assertThat(audit.readValuesToList()).containsExactly(
        expected(ConsentEventType.REJECTED, Topics.SIGNUP_REJECTS, 0, T0)
            .setDetail("429 too many signups for this phone (field phone)").build());
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldSendPoisonToTheDeadLettersAndProcessTheNextRecord() {
    // Given bytes that are no Avro record, then a valid challenge event
    byte[] poison = "not avro".getBytes(StandardCharsets.UTF_8);
    driver.createInputTopic(Topics.CHALLENGES.name(), Serdes.String().serializer(), new ByteArraySerializer())
        .pipeInput(PHONE, poison, T0);
    pipe(Topics.CHALLENGES, PHONE, PipelineRecords.challenge(ChallengeEventType.CLOSED, ChallengeOutcome.EXPIRED,
        "window passed", T0.plusSeconds(1)), T0.plusSeconds(1));

    // Then the poison is kept with its origin and bytes, and the next record is recorded
    List<KeyValue<String, DeadLetter>> letters = deadLetters.readKeyValuesToList();
    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.get(0).value;
    assertThat(letters.get(0).key).isEqualTo(PHONE);
    assertThat(letter.getDeadLetterId()).isEqualTo(new RecordOrigin(Topics.CHALLENGES.name(), 0, 0)
        .eventId("dead-letter"));
    assertThat(letter.getApplication()).isEqualTo(ConsentAuditTopologyConfig.DEFAULT_APPLICATION_ID);
    assertThat(letter.getReason()).startsWith("undeserialisable record");
    assertThat(letter.getSourceTopic()).isEqualTo(Topics.CHALLENGES.name());
    assertThat(letter.getSourcePartition()).isZero();
    assertThat(letter.getSourceOffset()).isZero();
    assertThat(letter.getRawKey()).isEqualTo(java.nio.ByteBuffer.wrap(PHONE.getBytes(StandardCharsets.UTF_8)));
    assertThat(letter.getRawValue()).isEqualTo(java.nio.ByteBuffer.wrap(poison));
    assertThat(letter.getFailedAt()).isEqualTo(WALL);
    assertThat(audit.readValuesToList()).extracting(ConsentAuditRecord::getEventType)
        .containsExactly(ConsentEventType.EXPIRED);
  }

  @Test
  void shouldDeadLetterASignupTheScreenRefuses() {
    SignupRequested tampered = PipelineRecords.signup(T0);
    tampered.getEvidence().setConsentTextSha256("00".repeat(32));

    pipe(Topics.SIGNUP_REQUESTS, PHONE, tampered, T0);

    assertThat(audit.isEmpty()).isTrue();
    DeadLetter letter = deadLetters.readValue();
    assertThat(letter.getField()).isEqualTo("evidence.consentTextSha256");
    assertThat(letter.getReason()).startsWith("signup refused: ");
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldForgetSeenMessagesAfterTheRetention() {
    String sid = "SM" + "1".repeat(32);
    pipe(Topics.SMS_DELIVERY, PHONE, PipelineRecords.delivery(sid, DeliveryStatus.DELIVERED,
        ReportSource.STATUS_CALLBACK, null, null, T0), T0);
    Instant later = T0.plus(Duration.ofDays(8));
    pipe(Topics.SMS_DELIVERY, PHONE, PipelineRecords.delivery("SM-other", DeliveryStatus.SENT, ReportSource.SENDER,
        null, null, later), later);

    pipe(Topics.SMS_DELIVERY, PHONE, PipelineRecords.delivery(sid, DeliveryStatus.DELIVERED,
        ReportSource.STATUS_CALLBACK, null, null, later), later);

    assertThat(audit.readValuesToList()).extracting(ConsentAuditRecord::getEventType)
        .containsExactly(ConsentEventType.DELIVERED, ConsentEventType.SENT, ConsentEventType.DELIVERED);
  }

  @Test
  void shouldDeriveTheSameEventIdsWhenTheSameRecordsAreProcessedAgain() {
    // Given the same input processed by the running topology and by a fresh one (a replay after a crash)
    pipe(Topics.SIGNUP_REQUESTS, PHONE, PipelineRecords.signup(T0), T0);
    pipe(Topics.SMS_INBOUND, PHONE, PipelineRecords.inbound("SM-in-2", ReplyIntent.STOP, "STOP", T0), T0);
    List<ConsentAuditRecord> first = audit.readValuesToList();
    try (TopologyTestDriver replay = newDriver(stateDir.resolve("b"))) {
      pipe(replay, Topics.SIGNUP_REQUESTS, PHONE, PipelineRecords.signup(T0), T0);
      pipe(replay, Topics.SMS_INBOUND, PHONE, PipelineRecords.inbound("SM-in-2", ReplyIntent.STOP, "STOP", T0), T0);
      List<ConsentAuditRecord> again = replay.createOutputTopic(Topics.CONSENT_AUDIT.name(),
          Serdes.String().deserializer(), serdes.forTopic(Topics.CONSENT_AUDIT).deserializer()).readValuesToList();

      // Then the records, ids included, are identical, and every id is distinct
      assertThat(again).isEqualTo(first);
      assertThat(first).extracting(ConsentAuditRecord::getEventId).doesNotHaveDuplicates().hasSize(3);
    }
  }

  @Test
  void shouldNeverPutThePhoneInTheRecordKey() {
    pipe(Topics.SIGNUP_REQUESTS, PHONE, PipelineRecords.signup(T0), T0);
    pipe(Topics.CHALLENGES, PHONE, PipelineRecords.challenge(ChallengeEventType.CLOSED, ChallengeOutcome.CONFIRMED,
        null, T0), T0);
    pipe(Topics.SMS_INBOUND, PHONE, PipelineRecords.inbound("SM-in-1", ReplyIntent.STOP, "STOP", T0), T0);
    pipe(Topics.VERIFICATION_ATTEMPTS, PHONE, PipelineRecords.attempt("attempt-1", T0), T0);

    List<KeyValue<String, ConsentAuditRecord>> records = audit.readKeyValuesToList();

    assertThat(records).hasSize(5).allSatisfy(kv -> {
      assertThat(kv.key).matches("[0-9a-f]{64}").doesNotContain("4155550100").isEqualTo(kv.value.getSubjectKey());
    });
  }
}
