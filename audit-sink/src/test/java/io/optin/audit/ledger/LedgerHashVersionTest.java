package io.optin.audit.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Records keep the hashVersion they were written with: version 1 records (before {@code channel})
 * still verify next to version 2 records, whose hash covers the channel.
 */
class LedgerHashVersionTest {

  private static final CheckpointSigningKey KEY = CheckpointSigningKey.generate();
  private static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");

  private final InMemoryChainHeads heads = new InMemoryChainHeads();
  private final LedgerAppender appender = new LedgerAppender(0, heads, KEY);
  private final List<LedgerEntry> entries = new ArrayList<>();

  @Test
  void shouldHashBothVersionsAsDocsLedgerMdSpellsThem() {
    // Given one record, as version 1 (no channel) and as version 2 (with one); the expected hashes
    // were computed by an independent implementation of docs/ledger.md (Python, hashlib)
    ConsentAuditRecord v1 = documented().setHashVersion(1).build();
    ConsentAuditRecord v2 = documented().setHashVersion(2).setChannel("WHATSAPP").build();

    // Then
    assertThat(LedgerHashing.hash(v1))
        .isEqualTo("87a95ec69ae299cbaf5583ce53feaa3d94074af276461157a5a25000b91624ba");
    assertThat(LedgerHashing.hash(v2))
        .isEqualTo("63cc30f1b1a6e3e9e49ecbffe6e39928009db01d8a3a2862012229a246255211");
  }

  @Test
  void shouldVerifyALedgerWhoseOlderRecordsAreVersion1() {
    // Given three records written at version 1, then two at version 2 (one with a channel) and a
    // checkpoint over them all
    writtenAtVersion1(append("subject-a", null));
    writtenAtVersion1(append("subject-b", null));
    writtenAtVersion1(append("subject-a", null));
    append("subject-a", "VOICE");
    append("subject-b", null);
    Checkpointed checkpointed = appender.checkpoint(T0.plusSeconds(60));
    add(checkpointed.record());

    // Then the ledger verifies, each record against its own version
    assertThat(entries)
        .extracting(e -> e.record().getHashVersion())
        .containsExactly(1, 1, 1, 2, 2, 2);
    assertThat(LedgerVerifier.verify(entries, KEY.publicKey(), List.of(checkpointed.checkpoint())))
        .isEqualTo(new VerificationReport(6, 2, 1, 2));
  }

  @Test
  void shouldNameAVersion2RecordWhoseChannelWasChanged() {
    // Given a version 2 record of a voice call, its channel then changed to SMS
    append("subject-a", "SMS");
    LedgerEntry call = append("subject-a", "VOICE");
    append("subject-a", "SMS");
    entries.set(
        1, with(call, ConsentAuditRecord.newBuilder(call.record()).setChannel("SMS").build()));

    // Then the break is that record, altered
    assertBreak(call, "hash does not match the record's content");
  }

  @Test
  void shouldNameAVersion1RecordGivenAChannelAfterwards() {
    // Given a version 1 record, a channel then added to it (version 1 does not cover the field)
    LedgerEntry old = writtenAtVersion1(append("subject-a", null));
    entries.set(
        0, with(old, ConsentAuditRecord.newBuilder(old.record()).setChannel("WHATSAPP").build()));

    // Then the break is that record
    assertBreak(old, "a channel on a hashVersion 1 record");
  }

  @Test
  void shouldVerifyALedgerMixingPhoneWideAndPerProgramOptOutsOfBothVersions() {
    // Given a phone-wide OPTED_OUT written at version 1, one at version 2, then per-program ones
    // (a STOP of scope program names its program in programId, a field every version covers)
    writtenAtVersion1(appendOptOut("subject-a", null, null));
    appendOptOut("subject-a", null, "SMS");
    appendOptOut("subject-a", "acme-deals", "SMS");
    appendOptOut("subject-b", "acme-news", "WHATSAPP");
    Checkpointed checkpointed = appender.checkpoint(T0.plusSeconds(60));
    add(checkpointed.record());

    // Then the ledger verifies
    assertThat(entries)
        .extracting(e -> e.record().getHashVersion(), e -> e.record().getProgramId())
        .containsExactly(
            tuple(1, null),
            tuple(2, null),
            tuple(2, "acme-deals"),
            tuple(2, "acme-news"),
            tuple(2, null));
    assertThat(LedgerVerifier.verify(entries, KEY.publicKey(), List.of(checkpointed.checkpoint())))
        .isEqualTo(new VerificationReport(5, 2, 1, 2));
  }

  @Test
  void shouldNameAPerProgramOptOutWidenedToTheWholePhone() {
    // Given a STOP of scope program recorded for the deals, its program then removed (which would
    // read as an opt-out of every program)
    appendOptOut("subject-a", null, "SMS");
    LedgerEntry deals = appendOptOut("subject-a", "acme-deals", "SMS");
    entries.set(
        1, with(deals, ConsentAuditRecord.newBuilder(deals.record()).setProgramId(null).build()));

    // Then the break is that record, altered
    assertBreak(deals, "hash does not match the record's content");
  }

  private LedgerEntry appendOptOut(String subject, String programId, String channel) {
    int n = entries.size();
    return add(
        appender.append(
            ConsentAuditRecord.newBuilder()
                .setEventId("event-" + n)
                .setEventType(ConsentEventType.OPTED_OUT)
                .setOccurredAt(T0.plusSeconds(n))
                .setSubjectKey(subject)
                .setProgramId(programId)
                .setProviderSid("SM-stop-" + n)
                .setMethod("REPLY_STOP")
                .setChannel(channel)
                .setSourceTopic(
                    programId == null ? "optin.sms-inbound.v1" : "optin.program-opt-outs.v1")
                .setSourcePartition(0)
                .setSourceOffset((long) n)
                .build()));
  }

  private void assertBreak(LedgerEntry entry, String reason) {
    LedgerVerdict verdict = LedgerVerifier.verify(entries, KEY.publicKey(), List.of());
    assertThat(verdict).isInstanceOf(ChainBreak.class);
    ChainBreak chainBreak = (ChainBreak) verdict;
    assertThat(chainBreak.offset()).isEqualTo(entry.offset());
    assertThat(chainBreak.eventId()).isEqualTo(entry.record().getEventId());
    assertThat(chainBreak.reason()).contains(reason);
  }

  private LedgerEntry append(String subject, String channel) {
    int n = entries.size();
    return add(
        appender.append(
            ConsentAuditRecord.newBuilder()
                .setEventId("event-" + n)
                .setEventType(ConsentEventType.DELIVERED)
                .setOccurredAt(T0.plusSeconds(n))
                .setSubjectKey(subject)
                .setProgramId("acme-deals")
                .setChannel(channel)
                .setSourceTopic("optin.sms-delivery.v1")
                .setSourcePartition(0)
                .setSourceOffset((long) n)
                .build()));
  }

  /**
   * The last entry as the appender of version 1 wrote it: same links, hashed at version 1; the
   * heads move to that hash, so the next record links to it.
   */
  private LedgerEntry writtenAtVersion1(LedgerEntry entry) {
    ConsentAuditRecord record = entry.record();
    record.setHashVersion(LedgerHashing.VERSION_1);
    record.setHash(null);
    record.setHash(LedgerHashing.hash(record));
    heads.putSubject(record.getSubjectKey(), new ChainHead(record.getSequence(), record.getHash()));
    heads.putPartition(
        new ChainHead(
            record.getPartitionSequence(), record.getHash(), heads.partition().sinceCheckpoint()));
    return entry;
  }

  private LedgerEntry add(ConsentAuditRecord record) {
    LedgerEntry entry = new LedgerEntry(0, entries.size() * 2L, record.getSubjectKey(), record);
    entries.add(entry);
    return entry;
  }

  private static LedgerEntry with(LedgerEntry entry, ConsentAuditRecord record) {
    return new LedgerEntry(entry.partition(), entry.offset(), entry.key(), record);
  }

  private static ConsentAuditRecord.Builder documented() {
    return ConsentAuditRecord.newBuilder()
        .setEventId("event-1")
        .setEventType(ConsentEventType.CONFIRMED)
        .setOccurredAt(T0)
        .setSubjectKey("subject-a")
        .setProgramId("acme-deals")
        .setChallengeId("ch-1")
        .setProviderSid("SM1")
        .setProviderStatus("delivered")
        .setMethod("REPLY_YES")
        .setSourceTopic("optin.sms-delivery.v1")
        .setSourcePartition(0)
        .setSourceOffset(7L)
        .setKeyId("key-a")
        .setSealedPersonalData(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .setSequence(2L)
        .setPreviousHash("ab")
        .setPartitionSequence(5L)
        .setPreviousPartitionHash("cd");
  }
}
