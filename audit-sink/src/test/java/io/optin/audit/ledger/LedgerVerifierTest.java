package io.optin.audit.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.LedgerCheckpoint;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every way of altering a ledger is caught, and the break names the record; an untouched ledger
 * passes.
 */
class LedgerVerifierTest {

  private static final CheckpointSigningKey KEY = CheckpointSigningKey.generate();

  private final LedgerFixture ledger = LedgerFixture.standard(KEY);

  @Test
  void shouldPassAnUntouchedLedgerAndSayWhatItChecked() {
    // When the ledger is verified as written, with the latest checkpoints
    LedgerVerdict verdict = verify(ledger.entries, ledger.latest.values());

    // Then it passes, having checked every record, subject, partition and checkpoint
    assertThat(verdict).isEqualTo(new VerificationReport(51, 6, 2, 8 + 2));
    assertThat(verdict.describe())
        .isEqualTo(
            "ledger intact: 51 records, 6 subjects, 2 partitions, 10 checkpoints" + " checked");
  }

  @Test
  void shouldPassWhenPartitionsInterleave() {
    // Given partition 1 fed first, then partition 0 (a consumer may return them in any order)
    List<LedgerEntry> reordered = new ArrayList<>(ledger.inPartition(1));
    reordered.addAll(ledger.inPartition(0));

    // Then the ledger is still intact
    assertThat(verify(reordered, ledger.latest.values()).passed()).isTrue();
  }

  @Test
  void shouldNameTheRecordOneByteOfWhichWasChanged() {
    // Given one byte of the sealed personal data of the 10th record flipped
    List<LedgerEntry> entries = new ArrayList<>(ledger.entries);
    LedgerEntry victim = entries.get(10);
    ByteBuffer sealed = victim.record().getSealedPersonalData().duplicate();
    byte[] bytes = new byte[sealed.remaining()];
    sealed.get(bytes);
    bytes[5] ^= 0x01;
    entries.set(
        10,
        with(
            victim,
            ConsentAuditRecord.newBuilder(victim.record())
                .setSealedPersonalData(ByteBuffer.wrap(bytes))
                .build()));

    // Then the break is that record, altered
    assertBreakAt(
        verify(entries, ledger.latest.values()),
        victim,
        "hash does not match the record's content");
  }

  @Test
  void shouldNameTheRecordAfterOneThatWasDeleted() {
    // Given the 4th record of partition 0 deleted
    List<LedgerEntry> partition0 = ledger.inPartition(0);
    List<LedgerEntry> entries = new ArrayList<>(ledger.entries);
    entries.remove(partition0.get(4));

    // Then the break is the record that followed it, with one record missing before it
    assertBreakAt(
        verify(entries, ledger.latest.values()),
        partition0.get(5),
        "partitionSequence 5 where 4 was expected: 1 record(s) missing before it");
  }

  @Test
  void shouldNameTheFirstOfTwoSwappedRecords() {
    // Given records 7 and 8 of partition 1 swapped (each keeps the offset of the slot it now sits
    // in)
    List<LedgerEntry> partition1 = new ArrayList<>(ledger.inPartition(1));
    LedgerEntry seventh = partition1.get(7);
    LedgerEntry eighth = partition1.get(8);
    partition1.set(7, new LedgerEntry(1, seventh.offset(), eighth.key(), eighth.record()));
    partition1.set(8, new LedgerEntry(1, eighth.offset(), seventh.key(), seventh.record()));
    List<LedgerEntry> entries = new ArrayList<>(ledger.inPartition(0));
    entries.addAll(partition1);

    // Then the break is the slot where the later record now stands
    assertBreakAt(
        verify(entries, ledger.latest.values()),
        partition1.get(7),
        "partitionSequence 8 where 7 was expected");
  }

  @Test
  void shouldNameARecordInsertedWithAValidHash() {
    // Given a forged CONFIRMED record, correctly hashed, inserted after the 3rd record of partition
    // 0
    List<LedgerEntry> partition0 = new ArrayList<>(ledger.inPartition(0));
    ConsentAuditRecord forged =
        ConsentAuditRecord.newBuilder(partition0.get(3).record())
            .setEventId("forged")
            .setEventType(ConsentEventType.CONFIRMED)
            .build();
    forged.setHash(LedgerHashing.hash(forged));
    LedgerEntry inserted =
        new LedgerEntry(0, partition0.get(3).offset() + 1, forged.getSubjectKey(), forged);
    partition0.add(4, inserted);

    // Then the break is the inserted record
    assertBreakAt(
        verify(partition0, List.of()), inserted, "partitionSequence 3 where 4 was expected");
  }

  @Test
  void shouldCatchARecordInsertedAndTheChainRebuiltAfterIt() {
    // Given a forger who inserts a record into partition 1 and re-chains everything, hashes
    // included (that needs no
    // secret), dropping the in-band checkpoints he cannot sign and padding the end to the
    // checkpoint's length
    List<LedgerEntry> rebuilt = new ArrayList<>();
    LedgerAppender forger =
        new LedgerAppender(1, new InMemoryChainHeads(), CheckpointSigningKey.generate());
    long offset = 0;
    for (LedgerEntry entry : ledger.inPartition(1)) {
      if (entry.record().getEventType() == ConsentEventType.CHECKPOINT) {
        continue;
      }
      if (rebuilt.size() == 2) {
        rebuilt.add(
            new LedgerEntry(
                1, offset++, entry.key(), forger.append(unchained(entry.record(), "forged"))));
      }
      rebuilt.add(
          new LedgerEntry(
              1, offset++, entry.key(), forger.append(unchained(entry.record(), null))));
    }
    LedgerCheckpoint latest = ledger.latest.get(1);
    while (rebuilt.size() <= latest.getPartitionSequence()) {
      LedgerEntry last = rebuilt.get(rebuilt.size() - 1);
      rebuilt.add(
          new LedgerEntry(
              1, offset++, last.key(), forger.append(unchained(last.record(), "pad" + offset))));
    }

    // Then the chain is internally consistent, but not the one the genuine latest checkpoint signed
    assertBreakAt(
        verify(rebuilt, List.of(latest)),
        rebuilt.get((int) latest.getPartitionSequence()),
        "against the latest checkpoint: the partition chain's head");
  }

  @Test
  void shouldDetectATruncatedTailThroughTheLatestCheckpoint() {
    // Given partition 0 cut after its 20th record while the latest checkpoint covers more
    List<LedgerEntry> partition0 = ledger.inPartition(0);
    List<LedgerEntry> entries = new ArrayList<>(partition0.subList(0, 20));
    entries.addAll(ledger.inPartition(1));

    // Then the break names the last record left and the checkpoint it falls short of
    LedgerVerdict verdict = verify(entries, ledger.latest.values());
    assertBreakAt(
        verdict,
        partition0.get(19),
        "the partition ends at partitionSequence 19 but the checkpoint of");
    assertThat(((ChainBreak) verdict).reason())
        .endsWith("covers up to partitionSequence 24: its tail was truncated");
  }

  @Test
  void shouldDetectAPartitionTruncatedToNothing() {
    // Given only partition 1, and the checkpoints of both
    LedgerVerdict verdict = verify(ledger.inPartition(1), ledger.latest.values());

    // Then partition 0 is reported truncated
    assertThat(verdict).isInstanceOf(ChainBreak.class);
    ChainBreak chainBreak = (ChainBreak) verdict;
    assertThat(chainBreak.partition()).isZero();
    assertThat(chainBreak.offset()).isEqualTo(-1);
    assertThat(chainBreak.reason()).contains("the partition holds no record").contains("truncated");
  }

  @Test
  void shouldRefuseALatestCheckpointWhoseSignatureWasForged() {
    // Given the latest checkpoint of partition 0 moved back to an earlier head, its signature
    // copied
    LedgerCheckpoint genuine = ledger.latest.get(0);
    LedgerCheckpoint forged =
        LedgerCheckpoint.newBuilder(genuine)
            .setPartitionSequence(3)
            .setHeadHash(ledger.inPartition(0).get(3).record().getHash())
            .build();

    // Then the break is at the record it claims to cover: the signature does not verify
    assertBreakAt(
        verify(ledger.entries, List.of(forged, ledger.latest.get(1))),
        ledger.inPartition(0).get(3),
        "the checkpoint's signature does not verify");
  }

  @Test
  void shouldRefuseACheckpointSignedByAnotherKey() {
    // Given a checkpoint re-signed by a key the auditor does not trust
    LedgerCheckpoint resigned = CheckpointSigningKey.generate().sign(ledger.latest.get(1));

    // Then verification names the untrusted key
    LedgerVerdict verdict = verify(ledger.entries, List.of(ledger.latest.get(0), resigned));
    assertThat(verdict).isInstanceOf(ChainBreak.class);
    assertThat(((ChainBreak) verdict).reason())
        .contains("not the trusted key " + KEY.publicKey().keyId());
  }

  @Test
  void shouldRefuseAnInBandCheckpointWhoseFieldsWereAlteredAndRehashed() {
    // Given the first in-band checkpoint claiming one subject fewer, its record re-hashed to fit
    List<LedgerEntry> entries = new ArrayList<>(ledger.inPartition(0));
    int at = indexOfFirstCheckpoint(entries);
    LedgerEntry victim = entries.get(at);
    ConsentAuditRecord altered =
        ConsentAuditRecord.newBuilder(victim.record())
            .setCheckpoint(
                LedgerCheckpoint.newBuilder(victim.record().getCheckpoint()).setSubjects(2).build())
            .build();
    altered.setHash(LedgerHashing.hash(altered));
    entries.set(at, with(victim, altered));

    // Then the break is that checkpoint record
    assertBreakAt(verify(entries, List.of()), victim, "the checkpoint's signature does not verify");
  }

  @Test
  void shouldRefuseARecordMovedToAnotherPartition() {
    // Given a record of partition 0 presented as if read from partition 1's tail
    List<LedgerEntry> entries = new ArrayList<>(ledger.inPartition(1));
    LedgerEntry moved = ledger.inPartition(0).get(2);
    LedgerEntry last = entries.get(entries.size() - 1);
    LedgerEntry misplaced = new LedgerEntry(1, last.offset() + 2, moved.key(), moved.record());
    entries.add(misplaced);

    // Then it is named as moved
    assertBreakAt(
        verify(entries, List.of()), misplaced, "belongs to ledger partition 0: it was moved");
  }

  private static LedgerVerdict verify(
      List<LedgerEntry> entries, Collection<LedgerCheckpoint> checkpoints) {
    return LedgerVerifier.verify(entries, KEY.publicKey(), checkpoints);
  }

  private static void assertBreakAt(LedgerVerdict verdict, LedgerEntry entry, String reason) {
    assertThat(verdict).isInstanceOf(ChainBreak.class);
    ChainBreak chainBreak = (ChainBreak) verdict;
    assertThat(chainBreak.partition()).isEqualTo(entry.partition());
    assertThat(chainBreak.offset()).isEqualTo(entry.offset());
    assertThat(chainBreak.eventId()).isEqualTo(entry.record().getEventId());
    assertThat(chainBreak.reason()).contains(reason);
    assertThat(verdict.describe())
        .startsWith(
            "ledger BROKEN at partition "
                + entry.partition()
                + " offset "
                + entry.offset()
                + " event "
                + entry.record().getEventId()
                + ": ");
  }

  private static LedgerEntry with(LedgerEntry entry, ConsentAuditRecord record) {
    return new LedgerEntry(entry.partition(), entry.offset(), entry.key(), record);
  }

  private static ConsentAuditRecord unchained(ConsentAuditRecord record, String eventId) {
    ConsentAuditRecord.Builder copy =
        ConsentAuditRecord.newBuilder(record)
            .setSequence(null)
            .setPreviousHash(null)
            .setPartitionSequence(null)
            .setPreviousPartitionHash(null)
            .setHash(null);
    return eventId == null ? copy.build() : copy.setEventId(eventId).build();
  }

  private static int indexOfFirstCheckpoint(List<LedgerEntry> entries) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).record().getEventType() == ConsentEventType.CHECKPOINT) {
        return i;
      }
    }
    throw new AssertionError("no checkpoint");
  }
}
