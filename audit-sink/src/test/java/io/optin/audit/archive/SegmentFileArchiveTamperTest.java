package io.optin.audit.archive;

import static io.optin.audit.archive.TestLedger.assertBrokenAt;
import static org.assertj.core.api.Assertions.assertThat;

import io.optin.audit.archive.ArchiveVerification.ArchiveVerdict;
import io.optin.audit.ledger.ChainBreak;
import io.optin.audit.ledger.LedgerHashing;
import io.optin.audit.ledger.VerificationReport;
import io.optin.avro.ConsentAuditRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Someone with write access to the archive directory edits it, and rewrites the manifests and the
 * index to match (SHA-256 alone proves nothing against them): verification still fails, naming the
 * record.
 */
class SegmentFileArchiveTamperTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-02-01T12:00:00Z"), ZoneOffset.UTC);

  /**
   * Partition 1 then holds closed segments at offsets 0..14 and 16..30, and an open one from 32.
   */
  private static final SegmentRotation EIGHT = new SegmentRotation(8, 1L << 30);

  @TempDir Path dir;

  private final TestLedger ledger = TestLedger.of(2, 3);
  private List<ArchivedRecord> partition1;

  @BeforeEach
  void archiveTheLedger() {
    try (SegmentFileArchive archive = SegmentFileArchive.open(dir, EIGHT, CLOCK)) {
      archive.append(ledger.records);
    }
    partition1 = ledger.inPartition(1);
  }

  @Test
  void shouldPassOnTheUntouchedArchive() {
    ArchiveVerdict verdict = verify();

    assertThat(verdict.passed()).as(verdict.describe()).isTrue();
    assertThat(verdict.ledger())
        .isEqualTo(new VerificationReport(ledger.records.size(), 6, 2, 10 + 2));
    assertThat(verdict.describe())
        .startsWith("segment files in " + dir.toAbsolutePath() + ": ledger intact: 40 records");
  }

  @Test
  void shouldNameTheRecordWhoseContentHadOneByteChanged() {
    // Given one character of a record's detail changed, its value bytes and JSON rewritten to agree
    ArchivedRecord original = partition1.get(5);
    ConsentAuditRecord edited =
        ConsentAuditRecord.newBuilder(original.record())
            .setDetail(original.record().getDetail().replace("step", "stop"))
            .build();
    ArchivedRecord tampered = ledger.withRecord(original, edited);
    assertThat(differingBytes(original.value(), tampered.value())).isEqualTo(1);
    rewrite(1, lines -> replace(lines, original, tampered));

    // Then the record's hash no longer matches its content
    assertBrokenAt(verify(), original, "hash does not match the record's content");
  }

  @Test
  void shouldNameTheRecordWhoseValueBytesChangedUnderItsJson() {
    // Given one byte of a record's value flipped, the readable JSON left as it was
    ArchivedRecord original = partition1.get(9);
    byte[] value = original.value();
    value[value.length - 3] ^= 0x01;
    ArchivedRecord tampered =
        new ArchivedRecord(
            original.partition(),
            original.offset(),
            original.key(),
            original.timestamp(),
            value,
            original.writerSchema(),
            original.record());
    rewrite(1, lines -> replace(lines, original, tampered));

    assertBrokenAt(verify(), original, "does not match its value bytes");
  }

  @Test
  void shouldNameTheSegmentWhenItsBytesChangedButNotItsManifest() throws IOException {
    // Given a byte changed in a closed segment, manifest untouched
    Path segment = SegmentFiles.segment(dir.toAbsolutePath(), 1, 16);
    byte[] content = Files.readAllBytes(segment);
    int at = new String(content, StandardCharsets.ISO_8859_1).indexOf("step 0");
    content[at + 2] = 'o';
    Files.write(segment, content);

    ArchiveVerdict verdict = verify();
    assertThat(verdict.passed()).isFalse();
    assertThat(verdict.ledger())
        .isInstanceOfSatisfying(
            ChainBreak.class,
            broken -> {
              assertThat(broken.partition()).isEqualTo(1);
              assertThat(broken.offset()).isEqualTo(16);
              assertThat(broken.reason())
                  .contains("partition-1/segment-00000000000000000016.jsonl")
                  .contains("differs from its manifest");
            });
  }

  @Test
  void shouldNameTheRecordAfterADeletedOne() {
    // Given a record removed from its segment
    ArchivedRecord deleted = partition1.get(6);
    rewrite(1, lines -> without(lines, deleted));

    assertBrokenAt(verify(), partition1.get(7), "1 record(s) missing before it");
  }

  @Test
  void shouldNameTheFirstOfTwoSwappedRecords() {
    // Given two records exchanged, each taking the other's offset so the offsets still ascend
    ArchivedRecord first = partition1.get(10);
    ArchivedRecord second = partition1.get(11);
    rewrite(
        1,
        lines ->
            replace(
                replace(lines, first, TestLedger.at(second, first.offset())),
                second,
                TestLedger.at(first, second.offset())));

    ArchiveVerdict verdict = verify();
    assertThat(verdict.ledger())
        .isInstanceOfSatisfying(
            ChainBreak.class,
            broken -> {
              assertThat(broken.partition()).isEqualTo(1);
              assertThat(broken.offset()).isEqualTo(first.offset());
              assertThat(broken.eventId()).isEqualTo(second.record().getEventId());
              assertThat(broken.reason()).contains("partitionSequence");
            });
  }

  @Test
  void shouldNameARecordInserted() {
    // Given a forged record with a correct hash of its own, slipped into the gap after a record's
    // offset
    ArchivedRecord model = partition1.get(3);
    ConsentAuditRecord forged =
        ConsentAuditRecord.newBuilder(model.record())
            .setEventId("forged-consent")
            .setDetail("forged")
            .setHash(null)
            .build();
    forged.setHash(LedgerHashing.hash(forged));
    ArchivedRecord inserted = TestLedger.at(ledger.withRecord(model, forged), model.offset() + 1);
    rewrite(1, lines -> insertAfter(lines, model, inserted));

    assertBrokenAt(verify(), inserted, "repeated, inserted or out of order");
  }

  @Test
  void shouldNameTheLastRecordLeftWhenTheTailWasTruncated() {
    // Given the last four records of partition 1 (its last checkpoint among them) cut away
    rewrite(1, lines -> lines.subList(0, lines.size() - 4));
    ArchivedRecord lastLeft = partition1.get(partition1.size() - 5);

    // Then the latest signed checkpoint exposes it; without it the shorter ledger looks whole
    assertBrokenAt(verify(), lastLeft, "its tail was truncated");
    assertThat(ArchiveVerification.files(dir, ledger.signingKey.publicKey(), List.of()).passed())
        .isTrue();
  }

  @Test
  void shouldNameTheRecordAfterAWholeSegmentRemovedWithItsManifest() throws IOException {
    // Given the middle closed segment of partition 1 deleted with its manifest and its index line
    Path segment = SegmentFiles.segment(dir.toAbsolutePath(), 1, 16);
    Files.delete(segment);
    Files.delete(SegmentFiles.manifestOf(segment));
    Path index = dir.resolve(SegmentFiles.INDEX);
    Files.write(
        index,
        Files.readAllLines(index).stream()
            .filter(line -> !line.contains("partition-1/segment-00000000000000000016"))
            .toList());

    assertBrokenAt(verify(), partition1.get(16), "8 record(s) missing before it");
  }

  private ArchiveVerdict verify() {
    return ArchiveVerification.files(
        dir, ledger.signingKey.publicKey(), ledger.latestCheckpoints.values());
  }

  /**
   * What an attacker with write access does: edit the partition's lines, lay them out again in the
   * same segment files, and write manifests and index lines that match the new bytes.
   */
  private void rewrite(int partition, UnaryOperator<List<String>> edit) {
    try {
      Path root = dir.toAbsolutePath();
      List<Path> segments = SegmentFiles.segments(root, partition);
      List<String> lines = new ArrayList<>();
      for (Path segment : segments) {
        lines.addAll(Files.readAllLines(segment));
      }
      List<String> edited = new ArrayList<>(edit.apply(lines));
      Path index = root.resolve(SegmentFiles.INDEX);
      List<String> indexLines = new ArrayList<>(Files.readAllLines(index));
      for (Path segment : segments) {
        Path manifestFile = SegmentFiles.manifestOf(segment);
        boolean closed = Files.exists(manifestFile);
        List<String> mine =
            new ArrayList<>(edited.subList(0, closed ? Math.min(8, edited.size()) : edited.size()));
        edited.subList(0, mine.size()).clear();
        Files.write(segment, mine);
        if (closed) {
          SegmentManifest old =
              SegmentManifest.parse(Files.readString(manifestFile), segment.toString());
          SegmentManifest forged =
              new SegmentManifest(
                  old.file(),
                  partition,
                  offsetOf(mine.get(0)),
                  offsetOf(mine.get(mine.size() - 1)),
                  mine.size(),
                  Files.size(segment),
                  SegmentFiles.sha256(segment),
                  old.closedAt());
          Files.writeString(manifestFile, forged.toJson() + "\n");
          indexLines.replaceAll(line -> line.equals(old.toJson()) ? forged.toJson() : line);
        }
      }
      Files.write(index, indexLines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long offsetOf(String line) {
    try {
      return RecordJson.MAPPER.readTree(line).get("offset").longValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String line(ArchivedRecord record) {
    byte[] bytes = ArchiveLine.encode(record);
    return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
  }

  private static List<String> replace(
      List<String> lines, ArchivedRecord original, ArchivedRecord replacement) {
    List<String> result = new ArrayList<>(lines);
    int at = result.indexOf(line(original));
    assertThat(at).as("line of %s", original).isNotNegative();
    result.set(at, line(replacement));
    return result;
  }

  private static List<String> without(List<String> lines, ArchivedRecord removed) {
    List<String> result = new ArrayList<>(lines);
    assertThat(result.remove(line(removed))).isTrue();
    return result;
  }

  private static List<String> insertAfter(
      List<String> lines, ArchivedRecord before, ArchivedRecord inserted) {
    List<String> result = new ArrayList<>(lines);
    result.add(result.indexOf(line(before)) + 1, line(inserted));
    return result;
  }

  private static int differingBytes(byte[] a, byte[] b) {
    assertThat(a).hasSameSizeAs(b);
    int differing = 0;
    for (int i = 0; i < a.length; i++) {
      differing += a[i] == b[i] ? 0 : 1;
    }
    return differing;
  }
}
