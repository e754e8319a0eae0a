package io.optin.replies.matching;

import static io.optin.replies.matching.Challenges.CODES;
import static io.optin.replies.matching.Challenges.OUR_NUMBER;
import static io.optin.replies.matching.Challenges.PHONE;
import static io.optin.replies.matching.Challenges.hashOfCode;
import static io.optin.replies.matching.Challenges.hashOfWrongCode;
import static io.optin.replies.matching.Challenges.issued;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConfirmationMethod;
import io.optin.avro.DeadLetter;
import io.optin.avro.InboundSms;
import io.optin.avro.MessageChannel;
import io.optin.avro.OptInStatus;
import io.optin.avro.ReplyIntent;
import io.optin.avro.SubscriberConfirmed;
import io.optin.avro.SubscriberStatus;
import io.optin.avro.VerificationAttempt;
import io.optin.domain.status.SubscriptionStatus;
import io.optin.kit.config.Settings;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.metrics.PrometheusText;
import io.optin.replies.RepliesSettings;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.registry.SchemaRegistryException;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reply topology on TopologyTestDriver: explicit event times, a mocked wall clock, real Avro
 * bytes.
 */
class ReplyTopologyTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant EXPIRES = T0.plus(Duration.ofMinutes(10));
  private static final ReplyTopologyConfig CONFIG =
      ReplyTopologyConfig.from(Settings.defaults(RepliesSettings.CATALOGUE));
  private static final Duration GRACE = CONFIG.expiryGrace();
  private static final String PROGRAM = "spring-sale";
  private static final String STATUS_KEY = PROGRAM + ":" + PHONE;

  @TempDir Path stateDir;

  private final OutageRegistry registry = new OutageRegistry(new InMemorySchemaRegistryClient());
  private final AvroSerdes serdes = new AvroSerdes(registry, true);
  private final AtomicInteger deadLetterIds = new AtomicInteger();
  private final OptinMetrics metrics = OptinMetrics.unexposed();
  private ReplyDriver replies;
  private TopologyTestDriver driver;
  private TestInputTopic<String, ChallengeEvent> challenges;
  private TestInputTopic<String, InboundSms> inbound;
  private TestInputTopic<String, byte[]> rawInbound;
  private TestInputTopic<String, VerificationAttempt> attempts;
  private TestOutputTopic<String, ChallengeEvent> challengeEvents;
  private TestOutputTopic<String, SubscriberConfirmed> confirmations;
  private TestOutputTopic<String, SubscriberStatus> statuses;
  private TestOutputTopic<String, DeadLetter> deadLetters;
  private ChallengeEvent issued;

  @BeforeEach
  void startDriver() {
    replies =
        new ReplyDriver(
            "reply-topology-test",
            ReplyTopology.build(
                CONFIG,
                serdes,
                CODES,
                Challenges.SUBJECTS,
                () -> "dl-" + deadLetterIds.incrementAndGet(),
                metrics),
            serdes,
            stateDir,
            T0);
    driver = replies.driver;
    challenges = input(Topics.CHALLENGES);
    inbound = input(Topics.SMS_INBOUND);
    attempts = input(Topics.VERIFICATION_ATTEMPTS);
    rawInbound =
        driver.createInputTopic(
            Topics.SMS_INBOUND.name(), new StringSerializer(), new ByteArraySerializer());
    challengeEvents = output(Topics.CHALLENGES);
    confirmations = output(Topics.CONFIRMED_SUBSCRIBERS);
    statuses = output(Topics.SUBSCRIBER_STATUS);
    deadLetters = output(Topics.DEAD_LETTERS);

    // Given an open challenge for the phone, window [T0, T0 + 10 min)
    issued = issued("ch-1", PROGRAM, T0, EXPIRES);
    challenges.pipeInput(PHONE, issued, T0);
    assertThat(statuses.readKeyValuesToList())
        .containsExactly(KeyValue.pair(STATUS_KEY, status(OptInStatus.PENDING, "code sent", T0)));
  }

  @AfterEach
  void closeDriver() {
    replies.close();
  }

  @Test
  void shouldConfirmAYesJustInsideTheWindowExactlyOnce() {
    Instant r = EXPIRES.minusMillis(1);

    reply("SM-yes", ReplyIntent.CONFIRM, null, r);

    assertThat(challengeEvents.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(
                PHONE, closed(ChallengeOutcome.CONFIRMED, "confirmed by reply YES", 0, r)));
    assertThat(confirmations.readKeyValuesToList())
        .containsExactly(KeyValue.pair(PHONE, confirmed(ConfirmationMethod.REPLY_YES, r)));
    assertThat(statuses.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(STATUS_KEY, status(OptInStatus.CONFIRMED, "confirmed by reply YES", r)));
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(outcome("SM-yes")).isEqualTo("CONFIRMED");
  }

  @Test
  void shouldConfirmNothingForAYesAtExpiresAtAndCloseItExpiredAfterTheGrace() {
    reply("SM-late", ReplyIntent.CONFIRM, null, EXPIRES);

    assertThat(outcome("SM-late")).isEqualTo("EXPIRED");
    assertThat(challengeEvents.isEmpty()).isTrue();
    assertThat(confirmations.isEmpty()).isTrue();
    assertThat(statuses.isEmpty()).isTrue();

    driver.advanceWallClockTime(Duration.between(T0, EXPIRES.plus(GRACE)));

    assertThat(challengeEvents.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(
                PHONE, closed(ChallengeOutcome.EXPIRED, "window passed", 0, EXPIRES.plus(GRACE))));
    assertThat(statuses.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(
                STATUS_KEY, status(OptInStatus.EXPIRED, "window passed", EXPIRES.plus(GRACE))));
    assertThat(confirmations.isEmpty()).isTrue();
  }

  @Test
  void shouldConfirmOnceForTwoYesReplies() {
    reply("SM-1", ReplyIntent.CONFIRM, null, T0.plusSeconds(30));
    reply("SM-2", ReplyIntent.CONFIRM, null, T0.plusSeconds(31));

    assertThat(confirmations.readValuesToList()).hasSize(1);
    assertThat(challengeEvents.readValuesToList())
        .extracting(ChallengeEvent::getOutcome)
        .containsExactly(ChallengeOutcome.CONFIRMED);
    assertThat(statuses.readValuesToList())
        .extracting(SubscriberStatus::getStatus)
        .containsExactly(OptInStatus.CONFIRMED);
    assertThat(outcome("SM-1")).isEqualTo("CONFIRMED");
    assertThat(outcome("SM-2")).isEqualTo("ALREADY_CONFIRMED");
    assertThat(metrics.value("optin_confirmations_total", "reply_yes")).isEqualTo(1);
  }

  @Test
  void shouldTimeAYesFromItsReceptionToItsConfirmationAndCountItByProgramAndCountry() {
    // Given the processor reads a YES 250 ms after the webhook received it
    driver.advanceWallClockTime(Duration.ofSeconds(30).plusMillis(250));

    // When
    reply("SM-1", ReplyIntent.CONFIRM, null, T0.plusSeconds(30));

    // Then
    PrometheusText scrape = PrometheusText.parse(metrics.registry().render());
    assertThat(
            scrape.value("optin_reply_to_confirmed_seconds_count", Map.of("method", "reply_yes")))
        .isEqualTo(1);
    assertThat(scrape.value("optin_reply_to_confirmed_seconds_sum", Map.of("method", "reply_yes")))
        .isEqualTo(0.25);
    assertThat(metrics.value("optin_confirmations_total", "reply_yes", PROGRAM, "US")).isEqualTo(1);
  }

  @Test
  void shouldProcessTheSameMessageSidOnce() {
    reply("SM-same", ReplyIntent.CODE, hashOfWrongCode("ch-1"), T0.plusSeconds(30));
    reply("SM-same", ReplyIntent.CODE, hashOfWrongCode("ch-1"), T0.plusSeconds(31));
    reply("SM-other", ReplyIntent.CODE, hashOfWrongCode("ch-1"), T0.plusSeconds(32));

    assertThat(outcome("SM-same")).isEqualTo("WRONG_CODE:4");
    assertThat(outcome("SM-other")).isEqualTo("WRONG_CODE:3");
    assertThat(challengeEvents.isEmpty()).isTrue();
    assertThat(statuses.isEmpty()).isTrue();
  }

  @Test
  void shouldConfirmACodeTextedBack() {
    Instant r = T0.plusSeconds(45);

    reply("SM-code", ReplyIntent.CODE, hashOfCode("ch-1"), r);

    assertThat(challengeEvents.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(
                PHONE, closed(ChallengeOutcome.CONFIRMED, "confirmed by code reply", 0, r)));
    assertThat(confirmations.readKeyValuesToList())
        .containsExactly(KeyValue.pair(PHONE, confirmed(ConfirmationMethod.REPLY_CODE, r)));
    assertThat(statuses.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(STATUS_KEY, status(OptInStatus.CONFIRMED, "confirmed by code reply", r)));
    assertThat(outcome("SM-code")).isEqualTo("CONFIRMED");
  }

  @Test
  void shouldConfirmACodeEnteredOnASite() {
    Instant r = T0.plusSeconds(50);

    attempt("att-1", hashOfCode("ch-1"), r);

    assertThat(challengeEvents.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(
                PHONE, closed(ChallengeOutcome.CONFIRMED, "confirmed by code entry", 0, r)));
    assertThat(confirmations.readKeyValuesToList())
        .containsExactly(KeyValue.pair(PHONE, confirmed(ConfirmationMethod.CODE_ENTRY, r)));
    assertThat(statuses.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(STATUS_KEY, status(OptInStatus.CONFIRMED, "confirmed by code entry", r)));
    assertThat(outcome("att-1")).isEqualTo("CONFIRMED");
  }

  @Test
  void shouldTellAConfirmedCodeEnteredAgainAlreadyConfirmedAsTheTopologyThenDecidesIt() {
    // Given the challenge is open: nothing is settled, the topology decides
    KeyValueStore<String, PhoneChallenges> store = driver.getKeyValueStore(ReplyStores.CHALLENGES);
    assertThat(SettledCodes.alreadyConfirmed(store.get(PHONE), CODES, PROGRAM, hashOfCode("ch-1")))
        .isEmpty();

    // When a code entry confirms it
    attempt("att-1", hashOfCode("ch-1"), T0.plusSeconds(50));

    // Then the same code entered again is settled ALREADY_CONFIRMED, a wrong code or another
    // program's code is not, and the topology decides the repeated attempt the same
    assertThat(SettledCodes.alreadyConfirmed(store.get(PHONE), CODES, PROGRAM, hashOfCode("ch-1")))
        .contains(Outcome.ALREADY_CONFIRMED);
    assertThat(
            SettledCodes.alreadyConfirmed(
                store.get(PHONE), CODES, PROGRAM, hashOfWrongCode("ch-1")))
        .isEmpty();
    assertThat(
            SettledCodes.alreadyConfirmed(
                store.get(PHONE), CODES, "another-program", hashOfCode("ch-1")))
        .isEmpty();
    attempt("att-2", hashOfCode("ch-1"), T0.plusSeconds(60));
    assertThat(outcome("att-2")).isEqualTo(Outcome.ALREADY_CONFIRMED.text());
  }

  @Test
  void shouldLockAfterFiveWrongCodesAndThenConfirmNothing() {
    for (int i = 1; i <= 5; i++) {
      attempt("att-" + i, hashOfWrongCode("ch-1"), T0.plusSeconds(i));
    }
    Instant lockedAt = T0.plusSeconds(5);

    assertThat(
            List.of(
                outcome("att-1"),
                outcome("att-2"),
                outcome("att-3"),
                outcome("att-4"),
                outcome("att-5")))
        .containsExactly("WRONG_CODE:4", "WRONG_CODE:3", "WRONG_CODE:2", "WRONG_CODE:1", "LOCKED");
    assertThat(challengeEvents.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(
                PHONE, closed(ChallengeOutcome.LOCKED, "too many wrong codes (5)", 5, lockedAt)));
    assertThat(statuses.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(
                STATUS_KEY, status(OptInStatus.LOCKED, "too many wrong codes (5)", lockedAt)));

    attempt("att-right", hashOfCode("ch-1"), T0.plusSeconds(6));
    reply("SM-right", ReplyIntent.CODE, hashOfCode("ch-1"), T0.plusSeconds(7));

    assertThat(outcome("att-right")).isEqualTo("LOCKED");
    assertThat(outcome("SM-right")).isEqualTo("LOCKED");
    assertThat(metrics.value("optin_challenges_locked_total")).isEqualTo(1);
    assertThat(challengeEvents.isEmpty()).isTrue();
    assertThat(confirmations.isEmpty()).isTrue();
    assertThat(statuses.isEmpty()).isTrue();
  }

  @Test
  void shouldCloseRejectedAndOptOutOnStop() {
    Instant r = T0.plusSeconds(20);

    reply("SM-stop", ReplyIntent.STOP, null, r);

    assertThat(challengeEvents.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(PHONE, closed(ChallengeOutcome.REJECTED, "opted out by STOP", 0, r)));
    assertThat(statuses.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(STATUS_KEY, status(OptInStatus.OPTED_OUT, "opted out by STOP", r)));
    assertThat(confirmations.isEmpty()).isTrue();
  }

  @Test
  void shouldLiftTheOptOutOnStartAndConfirmNothing() {
    reply("SM-stop", ReplyIntent.STOP, null, T0.plusSeconds(20));
    challengeEvents.readValuesToList();
    statuses.readValuesToList();

    reply("SM-start", ReplyIntent.START, null, T0.plusSeconds(40));
    reply("SM-yes", ReplyIntent.CONFIRM, null, T0.plusSeconds(41));

    // A tombstone: the phone is neither opted out nor subscribed any more.
    assertThat(statuses.readKeyValuesToList()).containsExactly(KeyValue.pair(STATUS_KEY, null));
    assertThat(challengeEvents.isEmpty()).isTrue();
    assertThat(confirmations.isEmpty()).isTrue();
    assertThat(outcome("SM-yes")).isEqualTo("NO_CHALLENGE");
    assertThat(
            driver
                .<String, PhoneStatuses>getKeyValueStore(ReplyStores.SUBSCRIBER_STATUS)
                .get(PHONE)
                .of(PROGRAM))
        .map(ProgramStatus::status)
        .contains(SubscriptionStatus.NONE);
  }

  @Test
  void shouldExpireAnUnansweredChallengeByWallClockAfterTheGrace() {
    driver.advanceWallClockTime(Duration.between(T0, EXPIRES.plus(GRACE)).minusMillis(1));

    assertThat(challengeEvents.isEmpty()).isTrue();
    assertThat(statuses.isEmpty()).isTrue();

    driver.advanceWallClockTime(Duration.ofSeconds(1));
    Instant now = EXPIRES.plus(GRACE).plusSeconds(1).minusMillis(1);

    assertThat(challengeEvents.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(PHONE, closed(ChallengeOutcome.EXPIRED, "window passed", 0, now)));
    assertThat(statuses.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(STATUS_KEY, status(OptInStatus.EXPIRED, "window passed", now)));
    assertThat(confirmations.isEmpty()).isTrue();
    assertThat(driver.getKeyValueStore(ReplyStores.EXPIRIES).approximateNumEntries()).isZero();
    assertThat(metrics.value("optin_challenges_expired_total")).isEqualTo(1);

    reply("SM-late", ReplyIntent.CONFIRM, null, EXPIRES.plusSeconds(60));
    assertThat(outcome("SM-late")).isEqualTo("EXPIRED");
    assertThat(challengeEvents.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterAPoisonReplyAndProcessTheNextRecord() {
    byte[] poison = "not avro at all".getBytes(StandardCharsets.UTF_8);

    rawInbound.pipeInput(PHONE, poison, T0.plusSeconds(10));
    reply("SM-yes", ReplyIntent.CONFIRM, null, T0.plusSeconds(11));

    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertThat(letters)
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.getDeadLetterId()).isEqualTo("dl-1");
              assertThat(letter.getApplication()).isEqualTo(ReplyTopology.APPLICATION_ID);
              assertThat(letter.getReason()).startsWith("undeserialisable record");
              assertThat(letter.getSourceTopic()).isEqualTo(Topics.SMS_INBOUND.name());
              assertThat(letter.getSourceOffset()).isZero();
              assertThat(letter.getRawKey())
                  .isEqualTo(ByteBuffer.wrap(PHONE.getBytes(StandardCharsets.UTF_8)));
              assertThat(letter.getRawValue()).isEqualTo(ByteBuffer.wrap(poison));
              assertThat(letter.getFailedAt()).isEqualTo(T0);
            });
    assertThat(confirmations.readValuesToList()).hasSize(1);
    assertThat(outcome("SM-yes")).isEqualTo("CONFIRMED");
  }

  @Test
  void shouldFailRatherThanDeadLetterAConfirmationTheRegistryCannotTakeWhileItIsDown() {
    // Given a poison reply dead-lettered and a HELP read (the dead-letter schema and the reply
    // schema are known), then the registry goes down
    rawInbound.pipeInput(PHONE, "not avro".getBytes(StandardCharsets.UTF_8), T0.plusSeconds(1));
    reply("SM-help", ReplyIntent.HELP, null, T0.plusSeconds(2));
    assertThat(deadLetters.readValuesToList()).hasSize(1);
    registry.goDown();

    // When a YES arrives, whose confirmation cannot be serialized
    assertThatThrownBy(() -> reply("SM-yes", ReplyIntent.CONFIRM, null, T0.plusSeconds(3)))
        // Then the stream thread fails: the transaction aborts and the reply is processed again
        // by its replacement, where a dead letter would have committed it without a confirmation
        .isInstanceOf(StreamsException.class)
        .hasRootCauseInstanceOf(SchemaRegistryException.class);
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(confirmations.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterAReplyKeyedByAnotherPhone() {
    InboundSms sms = sms("SM-misfiled", ReplyIntent.CONFIRM, null, T0.plusSeconds(10));

    inbound.pipeInput("+33612345678", sms, T0.plusSeconds(10));

    assertThat(deadLetters.readValuesToList())
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.getField()).isEqualTo("phone");
              assertThat(letter.getReason()).contains("key does not match");
            });
    assertThat(confirmations.isEmpty()).isTrue();
    assertThat(outcome("SM-misfiled")).isNull();
  }

  @Test
  void shouldConfirmAKeyPressedDuringACallByVoiceKeypressExactlyOnce() {
    // Given a key press and its replay (the same call's id), both in the window
    Instant r = T0.plusSeconds(90);

    // When
    reply("CA-1:keypress", ReplyIntent.CONFIRM, null, r, MessageChannel.VOICE);
    reply("CA-1:keypress", ReplyIntent.CONFIRM, null, r.plusSeconds(1), MessageChannel.VOICE);

    // Then one confirmation, by voice keypress, over the voice channel
    assertThat(challengeEvents.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(
                PHONE, closed(ChallengeOutcome.CONFIRMED, "confirmed by voice keypress", 0, r)));
    assertThat(confirmations.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(
                PHONE, confirmed(ConfirmationMethod.VOICE_KEYPRESS, r, MessageChannel.VOICE)));
    assertThat(statuses.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(
                STATUS_KEY, status(OptInStatus.CONFIRMED, "confirmed by voice keypress", r)));
    assertThat(outcome("CA-1:keypress")).isEqualTo("CONFIRMED");
    assertThat(metrics.value("optin_confirmations_total", "voice_keypress")).isEqualTo(1);
  }

  @Test
  void shouldAnswerAKeyPressAfterTheWindowExpiredAndConfirmNothing() {
    // When
    reply("CA-late:keypress", ReplyIntent.CONFIRM, null, EXPIRES, MessageChannel.VOICE);

    // Then
    assertThat(outcome("CA-late:keypress")).isEqualTo("EXPIRED");
    assertThat(confirmations.isEmpty()).isTrue();
    assertThat(challengeEvents.isEmpty()).isTrue();
  }

  @Test
  void shouldConfirmAWhatsAppYesAsAYesViaWhatsApp() {
    Instant r = T0.plusSeconds(40);

    reply("SM-wa", ReplyIntent.CONFIRM, null, r, MessageChannel.WHATSAPP);

    assertThat(confirmations.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(
                PHONE, confirmed(ConfirmationMethod.REPLY_YES, r, MessageChannel.WHATSAPP)));
    assertThat(challengeEvents.readValuesToList())
        .extracting(ChallengeEvent::getReason)
        .containsExactly("confirmed by reply YES");
  }

  @Test
  void shouldConfirmACodeTextedBackOnWhatsAppViaWhatsApp() {
    Instant r = T0.plusSeconds(41);

    reply("SM-wa-code", ReplyIntent.CODE, hashOfCode("ch-1"), r, MessageChannel.WHATSAPP);

    assertThat(confirmations.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(
                PHONE, confirmed(ConfirmationMethod.REPLY_CODE, r, MessageChannel.WHATSAPP)));
  }

  @Test
  void shouldConfirmOnceWhateverTheChannelOfTheAnswers() {
    // Given a YES on WhatsApp, then a key press, then an SMS YES
    reply("SM-wa", ReplyIntent.CONFIRM, null, T0.plusSeconds(10), MessageChannel.WHATSAPP);
    reply("CA-2:keypress", ReplyIntent.CONFIRM, null, T0.plusSeconds(11), MessageChannel.VOICE);
    reply("SM-sms", ReplyIntent.CONFIRM, null, T0.plusSeconds(12));

    // Then only the first confirmed
    assertThat(confirmations.readValuesToList())
        .extracting(SubscriberConfirmed::getMethod, SubscriberConfirmed::getConfirmedVia)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                ConfirmationMethod.REPLY_YES, MessageChannel.WHATSAPP));
    assertThat(List.of(outcome("SM-wa"), outcome("CA-2:keypress"), outcome("SM-sms")))
        .containsExactly("CONFIRMED", "ALREADY_CONFIRMED", "ALREADY_CONFIRMED");
  }

  @Test
  void shouldOptOutOnAStopSentOnWhatsApp() {
    Instant r = T0.plusSeconds(20);

    reply("SM-wa-stop", ReplyIntent.STOP, null, r, MessageChannel.WHATSAPP);

    assertThat(challengeEvents.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(PHONE, closed(ChallengeOutcome.REJECTED, "opted out by STOP", 0, r)));
    assertThat(statuses.readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(STATUS_KEY, status(OptInStatus.OPTED_OUT, "opted out by STOP", r)));
    assertThat(confirmations.isEmpty()).isTrue();
  }

  private void reply(String sid, ReplyIntent intent, String codeHash, Instant at) {
    inbound.pipeInput(PHONE, sms(sid, intent, codeHash, at), at);
  }

  private void reply(
      String sid, ReplyIntent intent, String codeHash, Instant at, MessageChannel channel) {
    inbound.pipeInput(
        PHONE,
        InboundSms.newBuilder(sms(sid, intent, codeHash, at)).setChannel(channel).build(),
        at);
  }

  private static InboundSms sms(String sid, ReplyIntent intent, String codeHash, Instant at) {
    return InboundSms.newBuilder()
        .setMessageSid(sid)
        .setPhone(PHONE)
        .setToNumber(OUR_NUMBER)
        .setIntent(intent)
        .setCodeHash(codeHash)
        .setMaskedBody(codeHash == null ? intent.name() : "******")
        .setReceivedAt(at)
        .build();
  }

  private void attempt(String attemptId, String codeHash, Instant at) {
    attempts.pipeInput(
        PHONE,
        VerificationAttempt.newBuilder()
            .setAttemptId(attemptId)
            .setPhone(PHONE)
            .setProgramId(PROGRAM)
            .setCodeHash(codeHash)
            .setIp("203.0.113.7")
            .setAttemptedAt(at)
            .build(),
        at);
  }

  private String outcome(String id) {
    return replies.outcome(id);
  }

  private ChallengeEvent closed(
      ChallengeOutcome outcome, String reason, int failedAttempts, Instant at) {
    return ChallengeEvent.newBuilder(issued)
        .setType(ChallengeEventType.CLOSED)
        .setOutcome(outcome)
        .setReason(reason)
        .setFailedAttempts(failedAttempts)
        .setOccurredAt(at)
        .build();
  }

  /** A confirmation by {@code method}; over SMS unless typed on a site (no channel). */
  private SubscriberConfirmed confirmed(ConfirmationMethod method, Instant at) {
    return confirmed(
        method, at, method == ConfirmationMethod.CODE_ENTRY ? null : MessageChannel.SMS);
  }

  private SubscriberConfirmed confirmed(
      ConfirmationMethod method, Instant at, MessageChannel confirmedVia) {
    return SubscriberConfirmed.newBuilder()
        .setChallengeId("ch-1")
        .setSignupId("signup-ch-1")
        .setProgramId(PROGRAM)
        .setPhone(PHONE)
        .setMethod(method)
        .setLocale("en-US")
        .setChannel(issued.getChannel())
        .setConsentTextSha256("c0ffee")
        .setRequestedAt(T0)
        .setConfirmedAt(at)
        .setConfirmedVia(confirmedVia)
        .build();
  }

  private static SubscriberStatus status(OptInStatus status, String reason, Instant at) {
    return SubscriberStatus.newBuilder()
        .setProgramId(PROGRAM)
        .setPhone(PHONE)
        .setStatus(status)
        .setChallengeId("ch-1")
        .setReason(reason)
        .setUpdatedAt(at)
        .build();
  }

  private <V extends SpecificRecord> TestInputTopic<String, V> input(Topic<V> topic) {
    return replies.input(topic);
  }

  private <V extends SpecificRecord> TestOutputTopic<String, V> output(Topic<V> topic) {
    return replies.output(topic);
  }
}
