package io.optin.audit;

import static io.optin.audit.AuditDriver.KEYS;
import static io.optin.audit.AuditDriver.SUBJECTS;
import static io.optin.audit.AuditDriver.WALL;
import static io.optin.audit.PipelineRecords.PHONE;
import static org.assertj.core.api.Assertions.assertThat;

import io.optin.audit.crypto.DataKeys;
import io.optin.audit.ledger.CheckpointPolicy;
import io.optin.audit.ledger.LedgerEntry;
import io.optin.audit.ledger.LedgerHashing;
import io.optin.audit.ledger.LedgerVerdict;
import io.optin.audit.ledger.VerificationReport;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.ErasureRequested;
import io.optin.avro.InboundSms;
import io.optin.avro.LedgerCheckpoint;
import io.optin.avro.ReplyIntent;
import io.optin.avro.ReportSource;
import io.optin.avro.SignupRequested;
import io.optin.avro.SubjectDataKey;
import io.optin.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit task chains, seals, checkpoints and erases as the single writer of its ledger
 * partition.
 */
class LedgerChainingTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final String OTHER_PHONE = "+14155550199";
  private static final String SUBJECT = SUBJECTS.keyFor(PHONE);
  private static final String OTHER = SUBJECTS.keyFor(OTHER_PHONE);

  @TempDir Path stateDir;

  private AuditDriver audit;

  @AfterEach
  void stop() {
    audit.close();
  }

  @Test
  void shouldChainEachSubjectAndThePartitionInProcessingOrder() {
    // Given two subscribers whose steps interleave
    audit = new AuditDriver(stateDir);
    flow(PHONE, T0);
    flow(OTHER_PHONE, T0.plusMillis(500));

    // Then each subject's records count 0, 1, 2... each linking to the subject's previous hash
    List<ConsentAuditRecord> records = audit.records();
    assertThat(records).hasSize(10);
    Map<String, ConsentAuditRecord> lastOfSubject = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      ConsentAuditRecord record = records.get(i);
      ConsentAuditRecord previous = lastOfSubject.put(record.getSubjectKey(), record);
      assertThat(record.getSequence()).isEqualTo(previous == null ? 0 : previous.getSequence() + 1);
      assertThat(record.getPreviousHash()).isEqualTo(previous == null ? null : previous.getHash());
      // And the partition chain counts every record, linking to the record before it
      assertThat(record.getPartitionSequence()).isEqualTo(i);
      assertThat(record.getPreviousPartitionHash())
          .isEqualTo(i == 0 ? null : records.get(i - 1).getHash());
      // And the hash is the documented hash of the record's canonical encoding
      assertThat(record.getHash()).matches("[0-9a-f]{64}").isEqualTo(LedgerHashing.hash(record));
      assertThat(record.getHashVersion()).isEqualTo(2);
    }
    assertThat(lastOfSubject.get(SUBJECT).getSequence()).isEqualTo(4);
    assertThat(lastOfSubject.get(OTHER).getSequence()).isEqualTo(4);
    assertThat(audit.verify()).isEqualTo(new VerificationReport(10, 2, 1, 0));
  }

  @Test
  void shouldSignACheckpointOnTheWallClockOnlyWhenRecordsWereAppended() {
    // Given three records, and a checkpoint every 30 s
    audit = new AuditDriver(stateDir, new CheckpointPolicy(Duration.ofSeconds(30), 1_000));
    audit.pipe(Topics.SIGNUP_REQUESTS, PHONE, PipelineRecords.signup(T0), T0);
    audit.pipe(Topics.SIGNUP_REQUESTS, OTHER_PHONE, signup(OTHER_PHONE, T0), T0);
    audit.pipe(
        Topics.SMS_INBOUND,
        PHONE,
        PipelineRecords.inbound("SM-in-1", ReplyIntent.CONFIRM, "YES", T0),
        T0);
    List<ConsentAuditRecord> before = audit.records();
    assertThat(audit.checkpoints()).isEmpty();

    // When 30 s pass on the wall clock, then 30 s more with nothing new
    audit.advanceWallClock(Duration.ofSeconds(30));
    audit.advanceWallClock(Duration.ofSeconds(30));

    // Then exactly one checkpoint: partition 0 up to the 3rd record, 2 subjects, signed, at
    // wall-clock time
    LedgerCheckpoint checkpoint = assertThat(audit.checkpoints()).singleElement().actual();
    assertThat(checkpoint.getPartition()).isZero();
    assertThat(checkpoint.getPartitionSequence()).isEqualTo(2);
    assertThat(checkpoint.getHeadHash()).isEqualTo(before.get(2).getHash());
    assertThat(checkpoint.getSubjects()).isEqualTo(2);
    assertThat(checkpoint.getCheckpointedAt()).isEqualTo(WALL.plusSeconds(30));
    assertThat(KEYS.publicKey().verifies(checkpoint)).isTrue();
    // And it is keyed by the partition on its topic, and appended in-band as a CHECKPOINT record
    assertThat(audit.raw(Topics.CONSENT_CHECKPOINTS.name()))
        .singleElement()
        .satisfies(kv -> assertThat(new String(kv.key, StandardCharsets.UTF_8)).isEqualTo("0"));
    LedgerEntry inBand = audit.ledger().get(3);
    assertThat(inBand.key()).isNull();
    assertThat(inBand.record().getEventType()).isEqualTo(ConsentEventType.CHECKPOINT);
    assertThat(inBand.record().getCheckpoint()).isEqualTo(checkpoint);
    assertThat(inBand.record().getPartitionSequence()).isEqualTo(3);
    assertThat(inBand.record().getPreviousPartitionHash()).isEqualTo(before.get(2).getHash());
    assertThat(audit.verify()).isEqualTo(new VerificationReport(4, 2, 1, 2));
  }

  @Test
  void shouldSignACheckpointEveryNRecords() {
    // Given a checkpoint every 3 records and an hour between wall-clock checkpoints
    audit = new AuditDriver(stateDir, new CheckpointPolicy(Duration.ofHours(1), 3));

    // When 7 records are appended
    for (int i = 0; i < 7; i++) {
      audit.pipe(
          Topics.SMS_INBOUND,
          PHONE,
          PipelineRecords.inbound("SM-in-" + i, ReplyIntent.OTHER, "hi", T0.plusSeconds(i)),
          T0.plusSeconds(i));
    }

    // Then two checkpoints stand after the 3rd and the 6th record (the in-band checkpoint counts as
    // a record)
    assertThat(audit.records())
        .extracting(ConsentAuditRecord::getEventType)
        .containsExactly(
            ConsentEventType.REPLY_RECEIVED,
            ConsentEventType.REPLY_RECEIVED,
            ConsentEventType.REPLY_RECEIVED,
            ConsentEventType.CHECKPOINT,
            ConsentEventType.REPLY_RECEIVED,
            ConsentEventType.REPLY_RECEIVED,
            ConsentEventType.REPLY_RECEIVED,
            ConsentEventType.CHECKPOINT,
            ConsentEventType.REPLY_RECEIVED);
    assertThat(audit.checkpoints())
        .extracting(LedgerCheckpoint::getPartitionSequence)
        .containsExactly(2L, 6L);
    assertThat(audit.verify().passed()).isTrue();
  }

  @Test
  void shouldLeaveNoPlaintextPersonalDataInAnyOutputAndOpenWithTheKey() {
    // Given a subscriber's whole flow
    audit = new AuditDriver(stateDir);
    flow(PHONE, T0);
    audit.pipe(
        Topics.VERIFICATION_ATTEMPTS,
        PHONE,
        PipelineRecords.attempt("attempt-1", T0.plusSeconds(9)),
        T0.plusSeconds(9));
    audit.advanceWallClock(Duration.ofMinutes(1));

    // Then no topic written (ledger, checkpoints, keys, changelogs) holds the phone, IP, user
    // agent, URL or texts
    List<String> personal =
        List.of(
            PHONE,
            PHONE.substring(1),
            "203.0.113.7",
            "Mozilla/5.0",
            "https://acme.example/signup",
            "Acme: code",
            "YES");
    for (byte[] bytes : audit.allBytes()) {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      assertThat(personal).allSatisfy(value -> assertThat(text).doesNotContain(value));
    }
    // And the consent text itself is there in clear, as proof of what was shown
    assertThat(audit.records().get(0).getEvidence().getConsentText())
        .isEqualTo(PipelineRecords.CONSENT);
    // And the key topic's wrapped key opens every sealed record to the phone
    DataKeys keys = audit.dataKeys();
    List<ConsentAuditRecord> sealed =
        audit.records().stream().filter(r -> r.getSealedPersonalData() != null).toList();
    assertThat(sealed)
        .hasSize(6)
        .allSatisfy(r -> assertThat(keys.open(r).orElseThrow().getPhone()).isEqualTo(PHONE));
    assertThat(keys.open(sealed.get(0)).orElseThrow().getIp()).isEqualTo("203.0.113.7");
    assertThat(audit.keyRecords())
        .singleElement()
        .satisfies(
            kv -> {
              assertThat(kv.key).isEqualTo(SUBJECT);
              assertThat(kv.value.getMasterKeyId()).isEqualTo(KEYS.master().keyId());
              assertThat(kv.value.getKeyId()).isEqualTo(sealed.get(0).getKeyId());
            });
  }

  @Test
  void shouldEraseASubjectByDestroyingItsKeyAndChainingAnErasedRecord() {
    // Given two subscribers' flows
    audit = new AuditDriver(stateDir);
    flow(PHONE, T0);
    flow(OTHER_PHONE, T0.plusSeconds(1));
    String erasedKeyId = audit.records().get(0).getKeyId();

    // When the first subject's erasure is requested
    Instant requestedAt = T0.plus(Duration.ofDays(30));
    audit.pipe(
        Topics.CONSENT_ERASURES,
        SUBJECT,
        ErasureRequested.newBuilder()
            .setRequestId("erase-1")
            .setSubjectKey(SUBJECT)
            .setRequestedBy("dpo")
            .setReason("GDPR art. 17")
            .setRequestedAt(requestedAt)
            .build(),
        requestedAt);
    audit.advanceWallClock(Duration.ofMinutes(1));

    // Then the key topic ends the subject's key with a tombstone, and the task's store forgot it
    List<KeyValue<String, SubjectDataKey>> keyRecords = audit.keyRecords();
    assertThat(keyRecords.get(keyRecords.size() - 1)).isEqualTo(KeyValue.pair(SUBJECT, null));
    assertThat(audit.driver.getKeyValueStore(ConsentAuditTopology.DATA_KEYS_STORE).get(SUBJECT))
        .isNull();
    assertThat(audit.raw("optin-audit-test-" + ConsentAuditTopology.DATA_KEYS_STORE + "-changelog"))
        .last()
        .satisfies(kv -> assertThat(kv.value).isNull());
    // And an ERASED record is chained to the subject's history, saying who asked and why
    List<ConsentAuditRecord> subject =
        audit.records().stream().filter(r -> SUBJECT.equals(r.getSubjectKey())).toList();
    ConsentAuditRecord erased = subject.get(subject.size() - 1);
    assertThat(erased.getEventType()).isEqualTo(ConsentEventType.ERASED);
    assertThat(erased.getSequence()).isEqualTo(5);
    assertThat(erased.getPreviousHash()).isEqualTo(subject.get(4).getHash());
    assertThat(erased.getOccurredAt()).isEqualTo(requestedAt);
    assertThat(erased.getDetail())
        .isEqualTo("personal data erased on request erase-1 by dpo: GDPR art. 17");
    assertThat(erased.getSealedPersonalData()).isNull();
    // And none of its records opens any more, while the other subject's still do
    DataKeys keys = audit.dataKeys();
    assertThat(subject).allSatisfy(r -> assertThat(keys.open(r)).isEmpty());
    assertThat(audit.records().stream().filter(r -> OTHER.equals(r.getSubjectKey())))
        .allSatisfy(r -> assertThat(keys.open(r).orElseThrow().getPhone()).isEqualTo(OTHER_PHONE));
    // And the ledger still verifies, hashes covering the ciphertext that stays
    LedgerVerdict verdict = audit.verify();
    assertThat(verdict.passed()).as(verdict.describe()).isTrue();

    // When the same phone signs up again later
    audit.pipe(
        Topics.SIGNUP_REQUESTS,
        PHONE,
        PipelineRecords.signup(requestedAt.plusSeconds(60)),
        requestedAt.plusSeconds(60));

    // Then it gets a new key: the new record opens, the erased ones stay sealed
    ConsentAuditRecord again = audit.records().get(audit.records().size() - 1);
    assertThat(again.getKeyId()).isNotEqualTo(erasedKeyId);
    assertThat(audit.dataKeys().open(again).orElseThrow().getPhone()).isEqualTo(PHONE);
    assertThat(subject).allSatisfy(r -> assertThat(audit.dataKeys().open(r)).isEmpty());
  }

  /** Signup, SENT, DELIVERED, reply YES, CONFIRMED: five ledger records. */
  private void flow(String phone, Instant at) {
    audit.pipe(Topics.SIGNUP_REQUESTS, phone, signup(phone, at), at);
    audit.pipe(
        Topics.SMS_DELIVERY,
        phone,
        withPhone(
            PipelineRecords.delivery(
                "SM-" + Integer.toHexString(phone.hashCode()),
                DeliveryStatus.SENT,
                ReportSource.SENDER,
                null,
                "Acme: code ******. Reply STOP to opt out.",
                at.plusSeconds(1)),
            phone),
        at.plusSeconds(1));
    audit.pipe(
        Topics.SMS_DELIVERY,
        phone,
        withPhone(
            PipelineRecords.delivery(
                "SM-" + Integer.toHexString(phone.hashCode()),
                DeliveryStatus.DELIVERED,
                ReportSource.STATUS_CALLBACK,
                null,
                null,
                at.plusSeconds(2)),
            phone),
        at.plusSeconds(2));
    InboundSms yes =
        PipelineRecords.inbound(
            "SM-in-" + Integer.toHexString(phone.hashCode()),
            ReplyIntent.CONFIRM,
            "YES",
            at.plusSeconds(3));
    yes.setPhone(phone);
    audit.pipe(Topics.SMS_INBOUND, phone, yes, at.plusSeconds(3));
    var closed =
        PipelineRecords.challenge(
            ChallengeEventType.CLOSED, ChallengeOutcome.CONFIRMED, null, at.plusSeconds(3));
    closed.setPhone(phone);
    audit.pipe(Topics.CHALLENGES, phone, closed, at.plusSeconds(3));
  }

  private static SignupRequested signup(String phone, Instant at) {
    SignupRequested signup = PipelineRecords.signup(at);
    signup.setPhone(phone);
    return signup;
  }

  private static io.optin.avro.SmsDeliveryReport withPhone(
      io.optin.avro.SmsDeliveryReport report, String phone) {
    report.setPhone(phone);
    return report;
  }
}
