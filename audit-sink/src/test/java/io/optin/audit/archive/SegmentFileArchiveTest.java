package io.optin.audit.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentFileArchiveTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-02-01T12:00:00Z"), ZoneOffset.UTC);
  private static final SegmentRotation LARGE = new SegmentRotation(1_000, 1L << 30);

  @TempDir Path dir;

  private final TestLedger ledger = TestLedger.of(2, 3);

  @Test
  void shouldReadBackEveryRecordInPartitionThenOffsetOrderWithItsExactBytes() throws IOException {
    // Given the ledger appended in two batches that interleave partitions
    int half = ledger.records.size() / 2;
    try (SegmentFileArchive archive = SegmentFileArchive.open(dir, LARGE, CLOCK)) {
      archive.append(ledger.records.subList(0, half));
      archive.append(ledger.records.subList(half, ledger.records.size()));
    }

    // When it is read back
    List<ArchivedRecord> read = readAll(dir);

    // Then partition 0 comes whole before partition 1, each record equal to what was written, bytes
    // included
    assertThat(read)
        .containsExactlyElementsOf(concat(ledger.inPartition(0), ledger.inPartition(1)));
    assertThat(read.get(3).record()).isEqualTo(ledger.inPartition(0).get(3).record());
    assertThat(Files.readAllLines(segment(0, 0), StandardCharsets.UTF_8))
        .hasSize(ledger.inPartition(0).size());
  }

  @Test
  void shouldDeriveItsPositionFromTheLastLineOnDisk() {
    // Given records archived up to offset 8 of partition 0 and 4 of partition 1
    try (SegmentFileArchive archive = SegmentFileArchive.open(dir, LARGE, CLOCK)) {
      archive.append(
          List.of(
              ledger.inPartition(0).get(0),
              ledger.inPartition(0).get(4),
              ledger.inPartition(1).get(2)));
    }

    // When the archive is opened again
    try (SegmentFileArchive reopened = SegmentFileArchive.open(dir, LARGE, CLOCK)) {
      // Then each partition resumes right after its last record (offsets have gaps: transaction
      // markers)
      assertThat(reopened.positions()).isEqualTo(Map.of(0, 9L, 1, 5L));
    }
  }

  @Test
  void shouldStartEmptyWithNoPosition() {
    try (SegmentFileArchive archive = SegmentFileArchive.open(dir, LARGE, CLOCK)) {
      assertThat(archive.positions()).isEmpty();
    }
  }

  @Test
  void shouldSkipRecordsBelowItsPositionSoARepeatedBatchStoresNothingTwice() {
    // Given a batch archived
    List<ArchivedRecord> partition0 = ledger.inPartition(0);
    try (SegmentFileArchive archive = SegmentFileArchive.open(dir, LARGE, CLOCK)) {
      archive.append(partition0.subList(0, 5));

      // When the same records come again with the next ones
      archive.append(partition0.subList(0, 8));
    }

    // Then each record is there once
    assertThat(readAll(dir)).containsExactlyElementsOf(partition0.subList(0, 8));
  }

  @Test
  void shouldRotateByRecordCountWithAManifestAndAnIndexLine() throws IOException {
    // Given segments of at most 4 records
    List<ArchivedRecord> partition0 = ledger.inPartition(0);
    try (SegmentFileArchive archive =
        SegmentFileArchive.open(dir, new SegmentRotation(4, 1L << 30), CLOCK)) {
      // When 10 records are archived
      archive.append(partition0.subList(0, 10));
    }

    // Then two closed segments of 4 and an open one of 2, named by their first offset
    assertThat(SegmentFiles.segments(dir, 0))
        .containsExactly(segment(0, 0), segment(0, 8), segment(0, 16));
    SegmentManifest first = manifest(segment(0, 0));
    assertThat(first)
        .isEqualTo(
            new SegmentManifest(
                "partition-0/segment-00000000000000000000.jsonl",
                0,
                0,
                6,
                4,
                Files.size(segment(0, 0)),
                SegmentFiles.sha256(segment(0, 0)),
                CLOCK.instant()));
    assertThat(manifest(segment(0, 8)).firstOffset()).isEqualTo(8);
    assertThat(Files.exists(SegmentFiles.manifestOf(segment(0, 16)))).isFalse();
    assertThat(new SegmentFileReader(dir).manifests())
        .containsExactly(first, manifest(segment(0, 8)));
    assertThat(readAll(dir)).containsExactlyElementsOf(partition0.subList(0, 10));
  }

  @Test
  void shouldRotateBySize() throws IOException {
    // Given segments of at most one byte: every record closes its segment
    try (SegmentFileArchive archive =
        SegmentFileArchive.open(dir, new SegmentRotation(1_000, 1), CLOCK)) {
      archive.append(ledger.inPartition(1).subList(0, 3));
    }

    // Then three closed segments of one record each
    assertThat(SegmentFiles.segments(dir, 1))
        .hasSize(3)
        .allSatisfy(segment -> assertThat(manifest(segment).count()).isEqualTo(1));
    assertThat(readAll(dir)).containsExactlyElementsOf(ledger.inPartition(1).subList(0, 3));
  }

  @Test
  void shouldCutAHalfWrittenLineAndResumeAfterTheLastWholeOne() throws IOException {
    // Given three records on disk and half of the fourth's line, as a crash mid-write leaves them
    List<ArchivedRecord> partition0 = ledger.inPartition(0);
    try (SegmentFileArchive archive = SegmentFileArchive.open(dir, LARGE, CLOCK)) {
      archive.append(partition0.subList(0, 3));
    }
    byte[] fourth = ArchiveLine.encode(partition0.get(3));
    Files.write(segment(0, 0), Arrays.copyOf(fourth, fourth.length / 2), StandardOpenOption.APPEND);
    long whole = Files.size(segment(0, 0)) - fourth.length / 2;

    // When the archive reopens
    try (SegmentFileArchive archive = SegmentFileArchive.open(dir, LARGE, CLOCK)) {
      // Then the fragment is gone and the position is right after the third record
      assertThat(Files.size(segment(0, 0))).isEqualTo(whole);
      assertThat(archive.positions()).containsEntry(0, partition0.get(2).offset() + 1);

      // And appending the rest gives the partition exactly once
      archive.append(partition0.subList(3, partition0.size()));
    }
    assertThat(readAll(dir)).containsExactlyElementsOf(partition0);
  }

  @Test
  void shouldCutAnUnterminatedLineEvenWhenItParses() throws IOException {
    // Given a whole JSON line whose newline never reached the disk
    List<ArchivedRecord> partition0 = ledger.inPartition(0);
    try (SegmentFileArchive archive = SegmentFileArchive.open(dir, LARGE, CLOCK)) {
      archive.append(partition0.subList(0, 2));
    }
    byte[] third = ArchiveLine.encode(partition0.get(2));
    Files.write(segment(0, 0), Arrays.copyOf(third, third.length - 1), StandardOpenOption.APPEND);

    // When read before a restart, the fragment is not taken for a record; after the restart it is
    // gone
    assertThat(readAll(dir)).containsExactlyElementsOf(partition0.subList(0, 2));
    try (SegmentFileArchive archive = SegmentFileArchive.open(dir, LARGE, CLOCK)) {
      assertThat(archive.positions()).containsEntry(0, partition0.get(1).offset() + 1);
    }
  }

  @Test
  void shouldRefuseToCutADamagedLineThatWholeLinesFollow() throws IOException {
    // Given a damaged line in the middle of the open segment: not what a crash leaves
    try (SegmentFileArchive archive = SegmentFileArchive.open(dir, LARGE, CLOCK)) {
      archive.append(ledger.inPartition(0).subList(0, 3));
    }
    List<String> lines = Files.readAllLines(segment(0, 0));
    Files.write(segment(0, 0), List.of(lines.get(0), "{not json", lines.get(2)));

    // When the archive reopens, then it refuses instead of cutting good records away
    assertThatThrownBy(() -> SegmentFileArchive.open(dir, LARGE, CLOCK))
        .isInstanceOf(ArchiveIntegrityException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("damaged line followed by whole ones");
  }

  @Test
  void shouldCloseASegmentThatWasFullWhenACrashCameBeforeItsManifest() throws IOException {
    // Given a full segment whose manifest a crash prevented (segments of 4 records, written with a
    // larger limit)
    try (SegmentFileArchive archive = SegmentFileArchive.open(dir, LARGE, CLOCK)) {
      archive.append(ledger.inPartition(0).subList(0, 4));
    }

    // When it reopens with the limit of 4
    try (SegmentFileArchive archive =
        SegmentFileArchive.open(dir, new SegmentRotation(4, 1L << 30), CLOCK)) {
      archive.append(ledger.inPartition(0).subList(4, 5));
    }

    // Then the full segment got its manifest and index line, and the next record opened a new
    // segment
    assertThat(manifest(segment(0, 0)).count()).isEqualTo(4);
    assertThat(new SegmentFileReader(dir).manifests())
        .extracting(SegmentManifest::file)
        .containsExactly("partition-0/segment-00000000000000000000.jsonl");
    assertThat(SegmentFiles.segments(dir, 0)).containsExactly(segment(0, 0), segment(0, 8));
    assertThat(readAll(dir)).containsExactlyElementsOf(ledger.inPartition(0).subList(0, 5));
  }

  @Test
  void shouldIndexAManifestWhenACrashCameBetweenTheManifestAndTheIndex() throws IOException {
    // Given a closed segment whose index line was lost (and a half-written index line after the
    // others)
    try (SegmentFileArchive archive =
        SegmentFileArchive.open(dir, new SegmentRotation(2, 1L << 30), CLOCK)) {
      archive.append(ledger.inPartition(0).subList(0, 4));
    }
    Path index = dir.resolve(SegmentFiles.INDEX);
    List<String> indexLines = Files.readAllLines(index);
    Files.writeString(index, indexLines.get(0) + "\n" + indexLines.get(1).substring(0, 20));

    // When the archive reopens
    try (SegmentFileArchive archive =
        SegmentFileArchive.open(dir, new SegmentRotation(2, 1L << 30), CLOCK)) {
      assertThat(archive.positions()).containsEntry(0, 7L);
    }

    // Then the index lists both manifests again, whole
    assertThat(Files.readAllLines(index)).containsExactlyElementsOf(indexLines);
    assertThat(readAll(dir)).containsExactlyElementsOf(ledger.inPartition(0).subList(0, 4));
  }

  @Test
  void shouldDropAnEmptySegmentACrashLeftBehind() throws IOException {
    // Given a segment file created just before a crash, with nothing in it
    Files.createDirectories(segment(1, 0).getParent());
    Files.createFile(segment(1, 0));

    // When the archive opens, then the partition has no position and the empty file is gone
    try (SegmentFileArchive archive = SegmentFileArchive.open(dir, LARGE, CLOCK)) {
      assertThat(archive.positions()).isEmpty();
    }
    assertThat(segment(1, 0)).doesNotExist();
  }

  @Test
  void shouldKeepTheWriterSchemaSoTheArchiveDecodesWithoutARegistry() {
    // Given an archive written with the registry's schema id
    ArchivedRecord record = ledger.records.get(0);
    try (SegmentFileArchive archive = SegmentFileArchive.open(dir, LARGE, CLOCK)) {
      archive.append(List.of(record));
    }

    // Then the schema is stored under its id and read back without any registry
    assertThat(dir.resolve("schemas").resolve(record.schemaId() + ".avsc")).exists();
    assertThat(readAll(dir))
        .singleElement()
        .satisfies(
            read -> {
              assertThat(read.writerSchema()).isEqualTo(record.writerSchema());
              assertThat(read.record()).isEqualTo(record.record());
            });
  }

  @Test
  void shouldRefuseASecondWriterOnTheSameDirectory() {
    try (SegmentFileArchive first = SegmentFileArchive.open(dir, LARGE, CLOCK)) {
      assertThatThrownBy(() -> SegmentFileArchive.open(dir, LARGE, CLOCK))
          .isInstanceOf(RuntimeException.class)
          .hasMessageContaining("another archiver holds");
    }
  }

  private Path segment(int partition, long firstOffset) {
    return SegmentFiles.segment(dir.toAbsolutePath(), partition, firstOffset);
  }

  private static SegmentManifest manifest(Path segment) throws IOException {
    return SegmentManifest.parse(
        Files.readString(SegmentFiles.manifestOf(segment)), segment.toString());
  }

  static List<ArchivedRecord> readAll(Path dir) {
    try (Stream<ArchivedRecord> records = new SegmentFileReader(dir).records()) {
      return records.toList();
    }
  }

  @SafeVarargs
  private static List<ArchivedRecord> concat(List<ArchivedRecord>... parts) {
    return Stream.of(parts).flatMap(List::stream).toList();
  }
}
