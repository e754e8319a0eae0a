package io.optin.dispatcher.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.ErasureRequested;
import io.optin.avro.MessageChannel;
import io.optin.avro.ReportSource;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SmsKind;
import io.optin.avro.SmsSendRequested;
import io.optin.avro.SourceChannel;
import io.optin.dispatcher.challenge.ChallengeTopology;
import io.optin.dispatcher.challenge.ChallengeTopologyConfig;
import io.optin.domain.otp.SubjectKeys;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
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
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fallback decisions, driven through the dispatcher's real topology with explicit event times
 * and the wall clock advanced by hand for {@code fallback.after}; every test reads the whole output
 * of the send-command and challenge topics.
 */
class FallbackTopologyTest {

  private static final String PHONE = "+14155550100";
  private static final String PROGRAM = "acme-deals";
  private static final String NEWS = "news";
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration EXPIRY = Duration.ofMinutes(10);
  private static final Duration AFTER = Duration.ofSeconds(60);
  private static final FallbackConfig FALLBACK =
      new FallbackConfig(
          new FallbackChannels(
              List.of(MessageChannel.SMS, MessageChannel.VOICE),
              Map.of(
                  NEWS,
                  List.of(MessageChannel.SMS, MessageChannel.WHATSAPP, MessageChannel.VOICE))),
          AFTER);
  private static final ChallengeTopologyConfig CONFIG =
      new ChallengeTopologyConfig(EXPIRY, Duration.ofSeconds(60), 2, "+15005550006", null)
          .withFallback(FALLBACK);

  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  private final AtomicInteger counter = new AtomicInteger();
  private final Map<String, TestOutputTopic<byte[], byte[]>> outputs = new LinkedHashMap<>();

  @TempDir Path stateDir;

  private TopologyTestDriver driver;
  private static final SubjectKeys SUBJECTS =
      new SubjectKeys("test-subject-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8));
  private TestInputTopic<String, ChallengeEvent> challenges;
  private TestInputTopic<String, SmsDeliveryReport> reports;

  @BeforeEach
  void startDriver() {
    start();
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @Test
  void shouldCallAtOnceWhenTheSmsFailsForGood() {
    // Given an issued challenge whose SMS Twilio accepted
    issue("c1", PROGRAM, T0);
    pipe(senderReport("c1", null, "SM1", DeliveryStatus.QUEUED, null, T0.plusSeconds(1)));

    // When the carrier says the number is a landline (30006)
    pipe(callback("SM1", null, DeliveryStatus.UNDELIVERED, 30006, T0.plusSeconds(2)));

    // Then the code is asked by voice at once, for the same challenge and window
    assertThat(read(Topics.SMS_OUTBOUND))
        .containsExactly(
            KeyValue.pair(PHONE, command("id-1", "c1", MessageChannel.VOICE, T0.plusSeconds(2))));
    assertThat(read(Topics.CHALLENGES)).isEmpty();
  }

  @Test
  void shouldCallAtOnceWhenTwilioRefusesTheSmsAsNotAMobile() {
    // Given an issued challenge
    issue("c1", PROGRAM, T0);

    // When the sender reports Twilio's refusal 21614 (not a mobile number)
    pipe(senderReport("c1", null, null, DeliveryStatus.FAILED, 21614, T0.plusSeconds(1)));

    // Then
    assertThat(read(Topics.SMS_OUTBOUND))
        .containsExactly(
            KeyValue.pair(PHONE, command("id-1", "c1", MessageChannel.VOICE, T0.plusSeconds(1))));
    assertThat(read(Topics.CHALLENGES)).isEmpty();
  }

  @Test
  void shouldUseTheStatusCallbackThatCameBeforeTheSendersReport() {
    // Given an issued challenge whose failure callback is read before the sender's report of its
    // sid
    issue("c1", PROGRAM, T0);
    pipe(callback("SM1", null, DeliveryStatus.UNDELIVERED, 30003, T0.plusSeconds(1)));
    assertThat(read(Topics.SMS_OUTBOUND)).isEmpty();

    // When the sender's report names the sid
    pipe(senderReport("c1", null, "SM1", DeliveryStatus.QUEUED, null, T0.plusSeconds(1)));

    // Then
    assertThat(read(Topics.SMS_OUTBOUND))
        .containsExactly(
            KeyValue.pair(PHONE, command("id-1", "c1", MessageChannel.VOICE, T0.plusSeconds(1))));
  }

  @Test
  void shouldTryTheNextChannelWhenNothingIsDeliveredWithinTheDelay() {
    // Given an issued challenge whose SMS was accepted but never reported delivered
    issue("c1", PROGRAM, T0);
    pipe(senderReport("c1", null, "SM1", DeliveryStatus.QUEUED, null, T0.plusSeconds(1)));

    // When 59 s pass, then 60 s
    driver.advanceWallClockTime(Duration.ofSeconds(59));
    assertThat(read(Topics.SMS_OUTBOUND)).isEmpty();
    driver.advanceWallClockTime(Duration.ofSeconds(1));

    // Then the code is asked by voice once the delay is over
    assertThat(read(Topics.SMS_OUTBOUND))
        .containsExactly(
            KeyValue.pair(PHONE, command("id-1", "c1", MessageChannel.VOICE, T0.plus(AFTER))));
    assertThat(read(Topics.CHALLENGES)).isEmpty();
  }

  @Test
  void shouldCallNobodyOnceThePhoneIsErased() {
    // Given an SMS accepted but not delivered yet
    issue("c1", PROGRAM, T0);
    pipe(senderReport("c1", null, "SM1", DeliveryStatus.QUEUED, null, T0.plusSeconds(1)));

    // When the subscriber's data is erased before the delay is over (the request names only the
    // subject key)
    Instant erasedAt = T0.plusSeconds(10);
    String subjectKey = SUBJECTS.keyFor(PHONE);
    driver
        .createInputTopic(
            Topics.CONSENT_ERASURES.name(),
            new StringSerializer(),
            serdes.forTopic(Topics.CONSENT_ERASURES).serializer())
        .pipeInput(
            subjectKey,
            ErasureRequested.newBuilder()
                .setRequestId("req-1")
                .setSubjectKey(subjectKey)
                .setRequestedAt(erasedAt)
                .build(),
            erasedAt);
    driver.advanceWallClockTime(AFTER.multipliedBy(2));

    // Then no call is made and the phone is no longer watched
    assertThat(read(Topics.SMS_OUTBOUND)).isEmpty();
    assertThat(storedPhones()).isEmpty();
  }

  @Test
  void shouldWaitForTheDelayWhenTheErrorIsUnclear() {
    // Given an SMS that failed with 30008 (unknown error)
    issue("c1", PROGRAM, T0);
    pipe(senderReport("c1", null, "SM1", DeliveryStatus.QUEUED, null, T0.plusSeconds(1)));
    pipe(callback("SM1", null, DeliveryStatus.UNDELIVERED, 30008, T0.plusSeconds(2)));
    assertThat(read(Topics.SMS_OUTBOUND)).isEmpty();

    // When the delay passes
    driver.advanceWallClockTime(AFTER);

    // Then
    assertThat(read(Topics.SMS_OUTBOUND))
        .containsExactly(
            KeyValue.pair(PHONE, command("id-1", "c1", MessageChannel.VOICE, T0.plus(AFTER))));
  }

  @Test
  void shouldSendNothingMoreOnceTheSmsIsDelivered() {
    // Given a delivered SMS
    issue("c1", PROGRAM, T0);
    pipe(senderReport("c1", null, "SM1", DeliveryStatus.QUEUED, null, T0.plusSeconds(1)));
    pipe(callback("SM1", null, DeliveryStatus.DELIVERED, null, T0.plusSeconds(3)));

    // When the whole window passes
    driver.advanceWallClockTime(EXPIRY.plusMinutes(1));

    // Then nothing is sent again, and nothing is left to watch
    assertThat(read(Topics.SMS_OUTBOUND)).isEmpty();
    assertThat(read(Topics.CHALLENGES)).isEmpty();
    assertThat(storedPhones()).isEmpty();
  }

  @Test
  void shouldSendNothingWhenTheChallengeIsConfirmedBeforeTheDelay() {
    // Given an SMS not yet reported delivered
    issue("c1", PROGRAM, T0);
    pipe(senderReport("c1", null, "SM1", DeliveryStatus.QUEUED, null, T0.plusSeconds(1)));

    // When the subscriber confirms within the delay, and the delay passes
    pipe(closed("c1", ChallengeOutcome.CONFIRMED, "confirmed by YES", T0.plusSeconds(20)));
    driver.advanceWallClockTime(AFTER.plusSeconds(5));
    pipe(callback("SM1", null, DeliveryStatus.UNDELIVERED, 30006, T0.plusSeconds(70)));

    // Then
    assertThat(read(Topics.SMS_OUTBOUND)).isEmpty();
    assertThat(read(Topics.CHALLENGES)).isEmpty();
    assertThat(storedPhones()).isEmpty();
  }

  @Test
  void shouldSendNothingWhenTheSubscriberOptedOutWithStop() {
    // Given an issued challenge the subscriber answered STOP to (the reply processor closes it)
    issue("c1", PROGRAM, T0);
    pipe(closed("c1", ChallengeOutcome.REJECTED, "opted out (reply STOP)", T0.plusSeconds(5)));

    // When its SMS then fails for good, and the delay passes
    pipe(senderReport("c1", null, null, DeliveryStatus.FAILED, 30006, T0.plusSeconds(6)));
    driver.advanceWallClockTime(AFTER.plusSeconds(5));

    // Then no call is placed
    assertThat(read(Topics.SMS_OUTBOUND)).isEmpty();
    assertThat(read(Topics.CHALLENGES)).isEmpty();
  }

  @Test
  void shouldNeverFallBackAfterTwilioSaysTheRecipientUnsubscribed() {
    // Given an issued challenge
    issue("c1", PROGRAM, T0);

    // When Twilio refuses the SMS with 21610 (the phone replied STOP to this sender), and time
    // passes
    pipe(senderReport("c1", null, null, DeliveryStatus.FAILED, 21610, T0.plusSeconds(1)));
    driver.advanceWallClockTime(AFTER.multipliedBy(3));

    // Then no other channel is tried, and a SUPPRESSED event says why
    assertThat(read(Topics.SMS_OUTBOUND)).isEmpty();
    assertThat(read(Topics.CHALLENGES))
        .containsExactly(
            KeyValue.pair(
                PHONE,
                suppressed(
                    "c1",
                    "fallback refused: sms failed (21610 recipient unsubscribed (replied STOP)) forbids any other channel",
                    T0.plusSeconds(1))));
  }

  @Test
  void shouldSayNoChannelIsLeftWhenTheLastOneFails() {
    // Given an SMS to a landline, so the code was asked by voice
    issue("c1", PROGRAM, T0);
    pipe(senderReport("c1", null, null, DeliveryStatus.FAILED, 21614, T0.plusSeconds(1)));
    assertThat(read(Topics.SMS_OUTBOUND))
        .containsExactly(
            KeyValue.pair(PHONE, command("id-1", "c1", MessageChannel.VOICE, T0.plusSeconds(1))));

    // When the call is placed and nobody answers
    pipe(
        senderReport(
            "c1", MessageChannel.VOICE, "CA1", DeliveryStatus.QUEUED, null, T0.plusSeconds(2)));
    pipe(
        callback(
            "CA1", MessageChannel.VOICE, DeliveryStatus.UNDELIVERED, null, T0.plusSeconds(30)));
    driver.advanceWallClockTime(AFTER.multipliedBy(3));

    // Then nothing more is sent, and an event says so
    assertThat(read(Topics.SMS_OUTBOUND)).isEmpty();
    assertThat(read(Topics.CHALLENGES))
        .containsExactly(
            KeyValue.pair(
                PHONE,
                suppressed(
                    "c1",
                    "no fallback channel left after sms, voice (voice undelivered)",
                    T0.plusSeconds(30))));
  }

  @Test
  void shouldFollowTheProgramsOwnOrder() {
    // Given a program whose list is sms,whatsapp,voice
    issue("c1", NEWS, T0);

    // When the SMS fails for good, then the WhatsApp message is not delivered within the delay
    pipe(senderReport("c1", null, null, DeliveryStatus.FAILED, 30006, T0.plusSeconds(1)));
    List<KeyValue<String, SmsSendRequested>> first = read(Topics.SMS_OUTBOUND);
    pipe(
        senderReport(
            "c1", MessageChannel.WHATSAPP, "SM2", DeliveryStatus.QUEUED, null, T0.plusSeconds(2)));
    driver.advanceWallClockTime(AFTER);
    List<KeyValue<String, SmsSendRequested>> early = read(Topics.SMS_OUTBOUND);
    driver.advanceWallClockTime(Duration.ofSeconds(1));

    // Then WhatsApp first, then voice once WhatsApp had its whole delay
    assertThat(first)
        .containsExactly(
            KeyValue.pair(
                PHONE, command("id-1", "c1", NEWS, MessageChannel.WHATSAPP, T0.plusSeconds(1))));
    assertThat(early).isEmpty();
    assertThat(read(Topics.SMS_OUTBOUND))
        .containsExactly(
            KeyValue.pair(
                PHONE,
                command("id-2", "c1", NEWS, MessageChannel.VOICE, T0.plusSeconds(1).plus(AFTER))));
  }

  @Test
  void shouldNotAskTheSameChannelTwiceWhenInputsAreReadAgain() {
    // Given a challenge that fell back to voice
    issue("c1", PROGRAM, T0);
    SmsDeliveryReport failure =
        senderReport("c1", null, null, DeliveryStatus.FAILED, 30006, T0.plusSeconds(1));
    pipe(failure);
    assertThat(read(Topics.SMS_OUTBOUND)).hasSize(1);

    // When the issue and the failure are read again (a replay after a crash before the offsets
    // were committed), and the code is resent by SMS
    issue("c1", PROGRAM, T0);
    pipe(failure);
    pipe(resent("c1", T0.plusSeconds(90)));
    pipe(senderReport("c1", null, null, DeliveryStatus.FAILED, 30006, T0.plusSeconds(91)));

    // Then no second call is asked
    assertThat(read(Topics.SMS_OUTBOUND)).isEmpty();
  }

  @Test
  void shouldWatchNothingForAProgramOnSmsOnly() {
    // Given SMS only for every program
    driver.close();
    start(CONFIG.withFallback(FallbackConfig.NONE));

    // When an SMS fails for good and the delay passes
    issue("c1", PROGRAM, T0);
    pipe(senderReport("c1", null, null, DeliveryStatus.FAILED, 30006, T0.plusSeconds(1)));
    driver.advanceWallClockTime(AFTER.multipliedBy(2));

    // Then
    assertThat(read(Topics.SMS_OUTBOUND)).isEmpty();
    assertThat(read(Topics.CHALLENGES)).isEmpty();
    assertThat(storedPhones()).isEmpty();
  }

  @Test
  void shouldDeadLetterAnUnreadableDeliveryReport() {
    // When a poison delivery report is read
    driver
        .createInputTopic(
            Topics.SMS_DELIVERY.name(), new ByteArraySerializer(), new ByteArraySerializer())
        .pipeInput(PHONE.getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 42, 1}, T0);

    // Then it is kept as a dead letter of the dispatcher, and nothing else happens
    List<KeyValue<String, SpecificRecord>> letters = new ArrayList<>();
    for (TestRecord<byte[], byte[]> record :
        outputs.get(Topics.DEAD_LETTERS.name()).readRecordsToList()) {
      letters.add(
          KeyValue.pair(
              new String(record.key(), StandardCharsets.UTF_8),
              serdes
                  .forTopic(Topics.DEAD_LETTERS)
                  .deserializer()
                  .deserialize(Topics.DEAD_LETTERS.name(), record.value())));
    }
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).key).isEqualTo(PHONE);
    assertThat(read(Topics.SMS_OUTBOUND)).isEmpty();
  }

  // --- driver and records ---------------------------------------------------------------------

  private void start() {
    start(CONFIG);
  }

  private void start(ChallengeTopologyConfig config) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, ChallengeTopology.APPLICATION_ID);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver =
        new TopologyTestDriver(
            ChallengeTopology.build(
                config, serdes, SUBJECTS, () -> "id-" + counter.incrementAndGet()),
            props,
            T0);
    challenges =
        driver.createInputTopic(
            Topics.CHALLENGES.name(),
            new StringSerializer(),
            serdes.forTopic(Topics.CHALLENGES).serializer());
    reports =
        driver.createInputTopic(
            Topics.SMS_DELIVERY.name(),
            new StringSerializer(),
            serdes.forTopic(Topics.SMS_DELIVERY).serializer());
    outputs.clear();
    for (Topic<?> topic : List.of(Topics.CHALLENGES, Topics.SMS_OUTBOUND, Topics.DEAD_LETTERS)) {
      outputs.put(
          topic.name(),
          driver.createOutputTopic(
              topic.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    }
  }

  /** Reads a report at its own event time. */
  private void pipe(SmsDeliveryReport report) {
    reports.pipeInput(PHONE, report, report.getOccurredAt());
  }

  /** Reads a challenge event at its own event time. */
  private void pipe(ChallengeEvent event) {
    challenges.pipeInput(PHONE, event, event.getOccurredAt());
  }

  private Map<String, PhoneFallbacks> storedPhones() {
    Map<String, PhoneFallbacks> stored = new LinkedHashMap<>();
    driver
        .<String, PhoneFallbacks>getKeyValueStore(FallbackTopology.STORE)
        .all()
        .forEachRemaining(kv -> stored.put(kv.key, kv.value));
    return stored;
  }

  private void issue(String challengeId, String program, Instant t) {
    challenges.pipeInput(
        PHONE,
        event(challengeId, program, ChallengeEventType.ISSUED, ChallengeOutcome.OPEN, null, t)
            .build(),
        t);
  }

  private static ChallengeEvent resent(String challengeId, Instant t) {
    return event(challengeId, PROGRAM, ChallengeEventType.RESENT, ChallengeOutcome.OPEN, null, t)
        .setResendCount(1)
        .build();
  }

  private static ChallengeEvent closed(
      String challengeId, ChallengeOutcome outcome, String reason, Instant t) {
    return event(challengeId, PROGRAM, ChallengeEventType.CLOSED, outcome, reason, t).build();
  }

  private static ChallengeEvent suppressed(String challengeId, String reason, Instant t) {
    return event(
            challengeId, PROGRAM, ChallengeEventType.SUPPRESSED, ChallengeOutcome.OPEN, reason, t)
        .setFromNumber(null)
        .build();
  }

  private static ChallengeEvent.Builder event(
      String challengeId,
      String program,
      ChallengeEventType type,
      ChallengeOutcome outcome,
      String reason,
      Instant t) {
    return ChallengeEvent.newBuilder()
        .setChallengeId(challengeId)
        .setType(type)
        .setSignupId("s-" + challengeId)
        .setProgramId(program)
        .setPhone(PHONE)
        .setFromNumber("+15005550006")
        .setIssuedAt(T0)
        .setExpiresAt(T0.plus(EXPIRY))
        .setResendCount(0)
        .setOutcome(outcome)
        .setFailedAttempts(0)
        .setReason(reason)
        .setLocale("fr-FR")
        .setChannel(SourceChannel.WEB_FORM)
        .setConsentTextSha256("ab".repeat(32))
        .setRequestedAt(T0.minusSeconds(1))
        .setOccurredAt(t);
  }

  private static SmsDeliveryReport senderReport(
      String challengeId,
      MessageChannel channel,
      String sid,
      DeliveryStatus status,
      Integer code,
      Instant t) {
    return report(sid, channel, status, code, t)
        .setChallengeId(challengeId)
        .setCommandId("cmd-" + challengeId)
        .setProgramId(PROGRAM)
        .setSource(ReportSource.SENDER)
        .build();
  }

  private static SmsDeliveryReport callback(
      String sid, MessageChannel channel, DeliveryStatus status, Integer code, Instant t) {
    return report(sid, channel, status, code, t).setSource(ReportSource.STATUS_CALLBACK).build();
  }

  private static SmsDeliveryReport.Builder report(
      String sid, MessageChannel channel, DeliveryStatus status, Integer code, Instant t) {
    return SmsDeliveryReport.newBuilder()
        .setReportId("r-" + t.toEpochMilli())
        .setPhone(PHONE)
        .setMessageSid(sid)
        .setStatus(status)
        .setErrorCode(code)
        .setAttempts(1)
        .setChannel(channel)
        .setOccurredAt(t);
  }

  private static SmsSendRequested command(
      String commandId, String challengeId, MessageChannel channel, Instant requestedAt) {
    return command(commandId, challengeId, PROGRAM, channel, requestedAt);
  }

  private static SmsSendRequested command(
      String commandId,
      String challengeId,
      String program,
      MessageChannel channel,
      Instant requestedAt) {
    return SmsSendRequested.newBuilder()
        .setCommandId(commandId)
        .setKind(SmsKind.CONFIRMATION_CODE)
        .setChallengeId(challengeId)
        .setProgramId(program)
        .setPhone(PHONE)
        .setFromNumber(null)
        .setLocale("fr-FR")
        .setExpiresAt(T0.plus(EXPIRY))
        .setRequestedAt(requestedAt)
        .setChannel(channel)
        .build();
  }

  private <V extends SpecificRecord> List<KeyValue<String, V>> read(Topic<V> topic) {
    List<KeyValue<String, V>> records = new ArrayList<>();
    for (TestRecord<byte[], byte[]> record : outputs.get(topic.name()).readRecordsToList()) {
      String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      records.add(
          KeyValue.pair(
              key,
              serdes.forTopic(topic).deserializer().deserialize(topic.name(), record.value())));
    }
    return records;
  }
}
