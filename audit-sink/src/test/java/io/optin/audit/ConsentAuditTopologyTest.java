package io.optin.audit;

import static io.optin.audit.AuditDriver.SUBJECTS;
import static io.optin.audit.AuditDriver.WALL;
import static io.optin.audit.PipelineRecords.CHALLENGE_ID;
import static io.optin.audit.PipelineRecords.PHONE;
import static io.optin.audit.PipelineRecords.PROGRAM;
import static io.optin.audit.PipelineRecords.SIGNUP_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.optin.audit.crypto.DataKeys;
import io.optin.audit.ledger.LedgerHashing;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.DeadLetter;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.InboundSms;
import io.optin.avro.MessageChannel;
import io.optin.avro.PersonalData;
import io.optin.avro.ReplyIntent;
import io.optin.avro.ReportSource;
import io.optin.avro.SignupRequested;
import io.optin.avro.SmsDeliveryReport;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.metrics.PrometheusText;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which consent steps the flow's records become, opened with the subject's data key (chaining:
 * LedgerChainingTest).
 */
class ConsentAuditTopologyTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final String SUBJECT = SUBJECTS.keyFor(PHONE);

  @TempDir Path stateDir;

  private final OptinMetrics metrics = OptinMetrics.unexposed();
  private AuditDriver audit;

  /**
   * A ledger record's content with its seal and chain fields cleared, and its personal data opened.
   */
  private record Opened(ConsentAuditRecord content, PersonalData personal) {}

  @BeforeEach
  void start() {
    audit = new AuditDriver(stateDir.resolve("a"), metrics);
  }

  @AfterEach
  void stop() {
    audit.close();
  }

  private <V extends org.apache.avro.specific.SpecificRecord> void pipe(
      Topic<V> topic, String key, V value, Instant at) {
    audit.pipe(topic, key, value, at);
  }

  private List<Opened> opened() {
    DataKeys keys = audit.dataKeys();
    return audit.records().stream()
        .map(
            r ->
                new Opened(
                    ConsentAuditRecord.newBuilder(r)
                        .setKeyId(null)
                        .setSealedPersonalData(null)
                        .setSequence(null)
                        .setPreviousHash(null)
                        .setPartitionSequence(null)
                        .setPreviousPartitionHash(null)
                        .setHash(null)
                        .build(),
                    keys.open(r).orElse(null)))
        .toList();
  }

  /** The content every step shares, for the record at {@code offset} of {@code topic}. */
  private static ConsentAuditRecord.Builder expected(
      ConsentEventType type, Topic<?> topic, long offset, Instant at) {
    return ConsentAuditRecord.newBuilder()
        .setEventId(new RecordOrigin(topic.name(), 0, offset).eventId(type.name()))
        .setEventType(type)
        .setOccurredAt(at)
        .setSubjectKey(SUBJECT)
        .setSourceTopic(topic.name())
        .setSourcePartition(0)
        .setSourceOffset(offset)
        .setHashVersion(LedgerHashing.VERSION)
        // A report or an answer naming no channel was an SMS.
        .setChannel(topic == Topics.SMS_DELIVERY || topic == Topics.SMS_INBOUND ? "SMS" : null);
  }

  private static Opened step(ConsentAuditRecord.Builder content, PersonalData.Builder personal) {
    return new Opened(content.build(), personal.build());
  }

  private static PersonalData.Builder phoneOnly() {
    return PersonalData.newBuilder().setPhone(PHONE);
  }

  @Test
  void shouldRecordASignupAsRequestedWithItsEvidenceSealingWhatIsPersonal() {
    // Given a signup on the topic
    pipe(Topics.SIGNUP_REQUESTS, PHONE, PipelineRecords.signup(T0), T0);

    // Then exactly one REQUESTED step keyed by the subject: consent text in clear, URL, IP and user
    // agent sealed
    ConsentEvidence inClear =
        ConsentEvidence.newBuilder(PipelineRecords.evidence())
            .setPageUrl(null)
            .setIp(null)
            .setUserAgent(null)
            .build();
    assertThat(audit.ledger())
        .singleElement()
        .satisfies(entry -> assertThat(entry.key()).isEqualTo(SUBJECT));
    assertThat(opened())
        .containsExactly(
            step(
                expected(ConsentEventType.REQUESTED, Topics.SIGNUP_REQUESTS, 0, T0)
                    .setProgramId(PROGRAM)
                    .setSignupId(SIGNUP_ID)
                    .setEvidence(inClear),
                phoneOnly()
                    .setPageUrl("https://acme.example/signup")
                    .setIp("203.0.113.7")
                    .setUserAgent("Mozilla/5.0")));
    assertThat(audit.deadLetters()).isEmpty();
  }

  @Test
  void shouldRecordSuppressionsAndEveryWayAChallengeCloses() {
    // Given a challenge's whole life, and other challenges closing each other way
    pipe(
        Topics.CHALLENGES,
        PHONE,
        PipelineRecords.challenge(ChallengeEventType.ISSUED, ChallengeOutcome.OPEN, null, T0),
        T0);
    pipe(
        Topics.CHALLENGES,
        PHONE,
        PipelineRecords.challenge(
            ChallengeEventType.RESENT, ChallengeOutcome.OPEN, null, T0.plusSeconds(60)),
        T0.plusSeconds(60));
    pipe(
        Topics.CHALLENGES,
        PHONE,
        PipelineRecords.challenge(
            ChallengeEventType.SUPPRESSED,
            ChallengeOutcome.OPEN,
            "resend limit reached",
            T0.plusSeconds(61)),
        T0.plusSeconds(61));
    ChallengeOutcome[] outcomes = {
      ChallengeOutcome.CONFIRMED,
      ChallengeOutcome.EXPIRED,
      ChallengeOutcome.REJECTED,
      ChallengeOutcome.LOCKED
    };
    for (int i = 0; i < outcomes.length; i++) {
      Instant at = T0.plusSeconds(100 + i);
      pipe(
          Topics.CHALLENGES,
          PHONE,
          PipelineRecords.challenge(ChallengeEventType.CLOSED, outcomes[i], "reason " + i, at),
          at);
    }

    // Then ISSUED and RESENT give nothing; the rest give one step each with their reason
    ConsentEventType[] types = {
      ConsentEventType.CONFIRMED,
      ConsentEventType.EXPIRED,
      ConsentEventType.REJECTED,
      ConsentEventType.LOCKED
    };
    List<Opened> expected = new ArrayList<>();
    expected.add(
        step(
            expected(ConsentEventType.SUPPRESSED, Topics.CHALLENGES, 2, T0.plusSeconds(61))
                .setProgramId(PROGRAM)
                .setSignupId(SIGNUP_ID)
                .setChallengeId(CHALLENGE_ID)
                .setDetail("resend limit reached"),
            phoneOnly()));
    for (int i = 0; i < types.length; i++) {
      expected.add(
          step(
              expected(types[i], Topics.CHALLENGES, 3 + i, T0.plusSeconds(100 + i))
                  .setProgramId(PROGRAM)
                  .setSignupId(SIGNUP_ID)
                  .setChallengeId(CHALLENGE_ID)
                  .setDetail("reason " + i),
              phoneOnly()));
    }
    assertThat(opened()).containsExactlyElementsOf(expected);
    assertThat(audit.deadLetters()).isEmpty();
    // and the confirmation's way to the ledger is timed: from T0 + 100 s to the wall clock (12:00)
    PrometheusText scrape = PrometheusText.parse(metrics.registry().render());
    assertThat(scrape.value("optin_confirmed_to_ledger_seconds_count", Map.of())).isEqualTo(1);
    assertThat(scrape.value("optin_confirmed_to_ledger_seconds_sum", Map.of()))
        .isEqualTo(Duration.between(T0.plusSeconds(100), WALL).toSeconds());
  }

  @Test
  void shouldRecordEachDeliveryStepOnceWithMaskedText() {
    // Given the sender's report, its status callbacks (one replayed), and a later failed send
    String sid = "SM" + "0".repeat(32);
    pipe(
        Topics.SMS_DELIVERY,
        PHONE,
        PipelineRecords.delivery(
            sid,
            DeliveryStatus.QUEUED,
            ReportSource.SENDER,
            null,
            "Acme: your code is ******. Reply STOP to opt out.",
            T0),
        T0);
    pipe(
        Topics.SMS_DELIVERY,
        PHONE,
        PipelineRecords.delivery(
            sid, DeliveryStatus.SENT, ReportSource.STATUS_CALLBACK, null, null, T0.plusSeconds(1)),
        T0.plusSeconds(1));
    pipe(
        Topics.SMS_DELIVERY,
        PHONE,
        PipelineRecords.delivery(
            sid,
            DeliveryStatus.DELIVERED,
            ReportSource.STATUS_CALLBACK,
            null,
            null,
            T0.plusSeconds(2)),
        T0.plusSeconds(2));
    pipe(
        Topics.SMS_DELIVERY,
        PHONE,
        PipelineRecords.delivery(
            sid,
            DeliveryStatus.DELIVERED,
            ReportSource.STATUS_CALLBACK,
            null,
            null,
            T0.plusSeconds(3)),
        T0.plusSeconds(3));
    pipe(
        Topics.SMS_DELIVERY,
        PHONE,
        PipelineRecords.delivery(
            null,
            DeliveryStatus.FAILED,
            ReportSource.SENDER,
            21211,
            "Acme: your code is 123456.",
            T0.plusSeconds(4)),
        T0.plusSeconds(4));

    // Then SENT once, DELIVERED once, FAILED with its error; a code that slipped through upstream
    // is masked
    assertThat(opened())
        .containsExactly(
            step(
                expected(ConsentEventType.SENT, Topics.SMS_DELIVERY, 0, T0)
                    .setProgramId(PROGRAM)
                    .setChallengeId(CHALLENGE_ID)
                    .setProviderSid(sid)
                    .setProviderStatus("queued"),
                phoneOnly().setMessageText("Acme: your code is ******. Reply STOP to opt out.")),
            step(
                expected(ConsentEventType.DELIVERED, Topics.SMS_DELIVERY, 2, T0.plusSeconds(2))
                    .setProgramId(PROGRAM)
                    .setChallengeId(CHALLENGE_ID)
                    .setProviderSid(sid)
                    .setProviderStatus("delivered"),
                phoneOnly()),
            step(
                expected(ConsentEventType.FAILED, Topics.SMS_DELIVERY, 4, T0.plusSeconds(4))
                    .setProgramId(PROGRAM)
                    .setChallengeId(CHALLENGE_ID)
                    .setProviderStatus("failed")
                    .setErrorCode(21211)
                    .setDetail("provider error 21211"),
                phoneOnly().setMessageText("Acme: your code is ******.")));
    assertThat(audit.deadLetters()).isEmpty();
    // and the delivery is counted once, by program and country
    assertThat(metrics.value("optin_sms_delivered_total")).isEqualTo(1);
    assertThat(metrics.value("optin_sms_delivered_total", PROGRAM, "US")).isEqualTo(1);
  }

  @Test
  void shouldRecordTheChannelOfAVoiceCallAndOfAWhatsAppAnswer() {
    // Given a call delivered, then a STOP answered on WhatsApp
    SmsDeliveryReport call =
        SmsDeliveryReport.newBuilder(
                PipelineRecords.delivery(
                    "CA-1", DeliveryStatus.DELIVERED, ReportSource.STATUS_CALLBACK, null, null, T0))
            .setChannel(MessageChannel.VOICE)
            .build();
    InboundSms stop =
        InboundSms.newBuilder(
                PipelineRecords.inbound("SM-wa-1", ReplyIntent.STOP, "STOP", T0.plusSeconds(5)))
            .setChannel(MessageChannel.WHATSAPP)
            .build();

    // When
    pipe(Topics.SMS_DELIVERY, PHONE, call, T0);
    pipe(Topics.SMS_INBOUND, PHONE, stop, T0.plusSeconds(5));

    // Then each step derived from them names its channel, under hashVersion 2
    assertThat(audit.records())
        .extracting(
            ConsentAuditRecord::getEventType,
            ConsentAuditRecord::getChannel,
            ConsentAuditRecord::getHashVersion)
        .containsExactly(
            tuple(ConsentEventType.DELIVERED, "VOICE", 2),
            tuple(ConsentEventType.REPLY_RECEIVED, "WHATSAPP", 2),
            tuple(ConsentEventType.OPTED_OUT, "WHATSAPP", 2));
  }

  @Test
  void shouldRecordRepliesWithOptOutAndOptInOncePerMessage() {
    pipe(
        Topics.SMS_INBOUND,
        PHONE,
        PipelineRecords.inbound("SM-in-1", ReplyIntent.CONFIRM, "YES", T0),
        T0);
    pipe(
        Topics.SMS_INBOUND,
        PHONE,
        PipelineRecords.inbound("SM-in-1", ReplyIntent.CONFIRM, "YES", T0),
        T0);
    pipe(
        Topics.SMS_INBOUND,
        PHONE,
        PipelineRecords.inbound("SM-in-2", ReplyIntent.STOP, "STOP", T0.plusSeconds(5)),
        T0.plusSeconds(5));
    pipe(
        Topics.SMS_INBOUND,
        PHONE,
        PipelineRecords.inbound("SM-in-3", ReplyIntent.START, "START", T0.plusSeconds(9)),
        T0.plusSeconds(9));

    assertThat(opened())
        .containsExactly(
            step(
                expected(ConsentEventType.REPLY_RECEIVED, Topics.SMS_INBOUND, 0, T0)
                    .setProviderSid("SM-in-1")
                    .setDetail("intent CONFIRM"),
                phoneOnly().setMessageText("YES")),
            step(
                expected(ConsentEventType.REPLY_RECEIVED, Topics.SMS_INBOUND, 2, T0.plusSeconds(5))
                    .setProviderSid("SM-in-2")
                    .setDetail("intent STOP"),
                phoneOnly().setMessageText("STOP")),
            step(
                expected(ConsentEventType.OPTED_OUT, Topics.SMS_INBOUND, 2, T0.plusSeconds(5))
                    .setProviderSid("SM-in-2")
                    .setMethod("REPLY_STOP"),
                phoneOnly().setMessageText("STOP")),
            step(
                expected(ConsentEventType.REPLY_RECEIVED, Topics.SMS_INBOUND, 3, T0.plusSeconds(9))
                    .setProviderSid("SM-in-3")
                    .setDetail("intent START"),
                phoneOnly().setMessageText("START")),
            step(
                expected(ConsentEventType.OPTED_IN, Topics.SMS_INBOUND, 3, T0.plusSeconds(9))
                    .setProviderSid("SM-in-3")
                    .setMethod("REPLY_START"),
                phoneOnly().setMessageText("START")));
  }

  @Test
  void shouldRecordAReviewReplyAsNeedingReviewWithItsRuleAndNoOptOut() {
    // Given a reply the parser flagged REVIEW, and one from a webhook that did not name its rule
    InboundSms review = PipelineRecords.inbound("SM-in-4", ReplyIntent.REVIEW, "no thanks", T0);
    review.setRule("review:en");
    InboundSms older =
        PipelineRecords.inbound("SM-in-5", ReplyIntent.REVIEW, "nein", T0.plusSeconds(1));

    // When
    pipe(Topics.SMS_INBOUND, PHONE, review, T0);
    pipe(Topics.SMS_INBOUND, PHONE, older, T0.plusSeconds(1));

    // Then each is one REPLY_RECEIVED saying so, with the text sealed, and nothing opts out
    assertThat(opened())
        .containsExactly(
            step(
                expected(ConsentEventType.REPLY_RECEIVED, Topics.SMS_INBOUND, 0, T0)
                    .setProviderSid("SM-in-4")
                    .setDetail("intent REVIEW: needs review: possible opt-out (rule review:en)"),
                phoneOnly().setMessageText("no thanks")),
            step(
                expected(ConsentEventType.REPLY_RECEIVED, Topics.SMS_INBOUND, 1, T0.plusSeconds(1))
                    .setProviderSid("SM-in-5")
                    .setDetail("intent REVIEW: needs review: possible opt-out"),
                phoneOnly().setMessageText("nein")));
  }

  @Test
  void shouldRecordCodeAttemptsOncePerAttemptWithTheIpSealed() {
    pipe(Topics.VERIFICATION_ATTEMPTS, PHONE, PipelineRecords.attempt("attempt-1", T0), T0);
    pipe(Topics.VERIFICATION_ATTEMPTS, PHONE, PipelineRecords.attempt("attempt-1", T0), T0);

    assertThat(opened())
        .containsExactly(
            step(
                expected(ConsentEventType.CODE_ATTEMPTED, Topics.VERIFICATION_ATTEMPTS, 0, T0)
                    .setProgramId(PROGRAM)
                    .setMethod("CODE_ENTRY"),
                phoneOnly().setIp("203.0.113.7")));
  }

  @Test
  void shouldRecordRejectsOfAKnownPhoneOnly() {
    pipe(
        Topics.SIGNUP_REJECTS,
        PHONE,
        PipelineRecords.reject("429 too many signups for this phone", "phone", T0),
        T0);
    pipe(
        Topics.SIGNUP_REJECTS,
        null,
        PipelineRecords.reject("400 body is not valid JSON", null, T0),
        T0);

    assertThat(opened())
        .containsExactly(
            step(
                expected(ConsentEventType.REJECTED, Topics.SIGNUP_REJECTS, 0, T0)
                    .setDetail("429 too many signups for this phone (field phone)"),
                phoneOnly()));
    assertThat(audit.deadLetters()).isEmpty();
  }

  @Test
  void shouldSendPoisonToTheDeadLettersAndProcessTheNextRecord() {
    // Given bytes that are no Avro record, then a valid challenge event
    byte[] poison = "not avro".getBytes(StandardCharsets.UTF_8);
    audit.pipeRaw(Topics.CHALLENGES, PHONE, poison, T0);
    pipe(
        Topics.CHALLENGES,
        PHONE,
        PipelineRecords.challenge(
            ChallengeEventType.CLOSED,
            ChallengeOutcome.EXPIRED,
            "window passed",
            T0.plusSeconds(1)),
        T0.plusSeconds(1));

    // Then the poison is kept with its origin and bytes, and the next record is recorded
    List<DeadLetter> letters = audit.deadLetters();
    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.get(0);
    assertThat(letter.getDeadLetterId())
        .isEqualTo(new RecordOrigin(Topics.CHALLENGES.name(), 0, 0).eventId("dead-letter"));
    assertThat(letter.getApplication())
        .isEqualTo(ConsentAuditTopologyConfig.DEFAULT_APPLICATION_ID);
    assertThat(letter.getReason()).startsWith("undeserialisable record");
    assertThat(letter.getSourceTopic()).isEqualTo(Topics.CHALLENGES.name());
    assertThat(letter.getSourcePartition()).isZero();
    assertThat(letter.getSourceOffset()).isZero();
    assertThat(letter.getRawKey())
        .isEqualTo(ByteBuffer.wrap(PHONE.getBytes(StandardCharsets.UTF_8)));
    assertThat(letter.getRawValue()).isEqualTo(ByteBuffer.wrap(poison));
    assertThat(letter.getFailedAt()).isEqualTo(WALL);
    assertThat(audit.records())
        .extracting(ConsentAuditRecord::getEventType)
        .containsExactly(ConsentEventType.EXPIRED);
  }

  @Test
  void shouldDeadLetterASignupTheScreenRefuses() {
    SignupRequested tampered = PipelineRecords.signup(T0);
    tampered.getEvidence().setConsentTextSha256("00".repeat(32));

    pipe(Topics.SIGNUP_REQUESTS, PHONE, tampered, T0);

    assertThat(audit.records()).isEmpty();
    assertThat(audit.deadLetters())
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.getField()).isEqualTo("evidence.consentTextSha256");
              assertThat(letter.getReason()).startsWith("signup refused: ");
            });
  }

  @Test
  void shouldForgetSeenMessagesAfterTheRetention() {
    String sid = "SM" + "1".repeat(32);
    pipe(
        Topics.SMS_DELIVERY,
        PHONE,
        PipelineRecords.delivery(
            sid, DeliveryStatus.DELIVERED, ReportSource.STATUS_CALLBACK, null, null, T0),
        T0);
    Instant later = T0.plus(Duration.ofDays(8));
    pipe(
        Topics.SMS_DELIVERY,
        PHONE,
        PipelineRecords.delivery(
            "SM-other", DeliveryStatus.SENT, ReportSource.SENDER, null, null, later),
        later);

    pipe(
        Topics.SMS_DELIVERY,
        PHONE,
        PipelineRecords.delivery(
            sid, DeliveryStatus.DELIVERED, ReportSource.STATUS_CALLBACK, null, null, later),
        later);

    assertThat(audit.records())
        .extracting(ConsentAuditRecord::getEventType)
        .containsExactly(
            ConsentEventType.DELIVERED, ConsentEventType.SENT, ConsentEventType.DELIVERED);
  }

  @Test
  void shouldDeriveTheSameEventIdsAndChainWhenTheSameRecordsAreProcessedAgain() {
    // Given the same input processed by the running topology and by a fresh one (a replay after a
    // crash)
    pipe(Topics.SIGNUP_REQUESTS, PHONE, PipelineRecords.signup(T0), T0);
    pipe(
        Topics.SMS_INBOUND,
        PHONE,
        PipelineRecords.inbound("SM-in-2", ReplyIntent.STOP, "STOP", T0),
        T0);
    List<ConsentAuditRecord> first = audit.records();
    try (AuditDriver replay = new AuditDriver(stateDir.resolve("b"))) {
      replay.pipe(Topics.SIGNUP_REQUESTS, PHONE, PipelineRecords.signup(T0), T0);
      replay.pipe(
          Topics.SMS_INBOUND,
          PHONE,
          PipelineRecords.inbound("SM-in-2", ReplyIntent.STOP, "STOP", T0),
          T0);
      List<ConsentAuditRecord> again = replay.records();

      // Then the ids and sequences are identical and every id is distinct (the ciphertext differs:
      // fresh nonces)
      assertThat(again)
          .extracting(
              ConsentAuditRecord::getEventId,
              ConsentAuditRecord::getSequence,
              ConsentAuditRecord::getPartitionSequence)
          .isEqualTo(
              first.stream()
                  .map(
                      r ->
                          org.assertj.core.groups.Tuple.tuple(
                              r.getEventId(), r.getSequence(), r.getPartitionSequence()))
                  .toList());
      assertThat(first)
          .extracting(ConsentAuditRecord::getEventId)
          .doesNotHaveDuplicates()
          .hasSize(3);
    }
  }

  @Test
  void shouldNeverPutThePhoneInTheRecordKey() {
    pipe(Topics.SIGNUP_REQUESTS, PHONE, PipelineRecords.signup(T0), T0);
    pipe(
        Topics.CHALLENGES,
        PHONE,
        PipelineRecords.challenge(ChallengeEventType.CLOSED, ChallengeOutcome.CONFIRMED, null, T0),
        T0);
    pipe(
        Topics.SMS_INBOUND,
        PHONE,
        PipelineRecords.inbound("SM-in-1", ReplyIntent.STOP, "STOP", T0),
        T0);
    pipe(Topics.VERIFICATION_ATTEMPTS, PHONE, PipelineRecords.attempt("attempt-1", T0), T0);

    assertThat(audit.ledger())
        .hasSize(5)
        .allSatisfy(
            entry ->
                assertThat(entry.key())
                    .matches("[0-9a-f]{64}")
                    .doesNotContain("4155550100")
                    .isEqualTo(entry.record().getSubjectKey()));
  }
}
