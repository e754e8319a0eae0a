package io.optin.audit.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Reads a segment archive back in partition then offset order, checking as it goes that every
 * closed segment still has the SHA-256, offsets and count of its manifest, that the index lists
 * exactly the manifests on disk, and that every line's readable JSON matches its value bytes. The
 * first disagreement stops the stream with an {@link ArchiveIntegrityException} naming the segment
 * or record.
 */
public final class SegmentFileReader implements ArchiveReader {

  private final Path directory;
  private final SchemaDirectory schemas;

  public SegmentFileReader(Path directory) {
    this.directory = directory.toAbsolutePath();
    this.schemas = new SchemaDirectory(this.directory);
  }

  @Override
  public Stream<ArchivedRecord> records() {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("no archive directory " + directory);
    }
    Map<String, SegmentManifest> indexed = indexedManifests();
    return SegmentFiles.partitions(directory).stream()
        .flatMap(partition -> partitionRecords(partition, indexed));
  }

  /** The manifests the index lists, after checking each against the manifest beside its segment. */
  public List<SegmentManifest> manifests() {
    return List.copyOf(indexedManifests().values());
  }

  @Override
  public String describe() {
    return "segment files in " + directory;
  }

  private Stream<ArchivedRecord> partitionRecords(
      int partition, Map<String, SegmentManifest> indexed) {
    List<Path> segments = SegmentFiles.segments(directory, partition);
    long[] lastOffset = {-1};
    return IntStream.range(0, segments.size())
        .boxed()
        .flatMap(
            i ->
                segmentRecords(
                    segments.get(i), partition, i == segments.size() - 1, indexed, lastOffset));
  }

  private Stream<ArchivedRecord> segmentRecords(
      Path segment,
      int partition,
      boolean last,
      Map<String, SegmentManifest> indexed,
      long[] lastOffset) {
    String name = SegmentFiles.relativeName(directory, segment);
    SegmentManifest manifest = manifestBeside(segment);
    if (manifest == null && !last) {
      throw new ArchiveIntegrityException(
          partition,
          -1,
          null,
          name,
          "segment has no manifest but is not the last of its partition",
          null);
    }
    if (manifest != null) {
      checkAgainstManifest(segment, name, manifest, indexed);
    }
    long[] segmentFacts = {0, -1, -1}; // count, first offset, last offset
    Stream<ArchivedRecord> records =
        SegmentLines.of(segment)
            .filter(line -> line.whole() || manifest != null)
            .map(
                line -> {
                  if (!line.whole()) {
                    throw new ArchiveIntegrityException(
                        partition,
                        lastOffset[0],
                        null,
                        name + " line " + line.number(),
                        "line without newline after offset " + lastOffset[0],
                        null);
                  }
                  ArchivedRecord record =
                      ArchiveLine.decode(
                          line.text(), schemas::schema, name + " line " + line.number());
                  if (record.partition() != partition) {
                    throw ArchiveIntegrityException.at(
                        record,
                        name + " line " + line.number(),
                        "a record of partition "
                            + record.partition()
                            + " among those of partition "
                            + partition);
                  }
                  if (record.offset() <= lastOffset[0]) {
                    throw ArchiveIntegrityException.at(
                        record,
                        name + " line " + line.number(),
                        "offset not after the previous record's (" + lastOffset[0] + ")");
                  }
                  lastOffset[0] = record.offset();
                  segmentFacts[0]++;
                  segmentFacts[1] = segmentFacts[1] < 0 ? record.offset() : segmentFacts[1];
                  segmentFacts[2] = record.offset();
                  return record;
                });
    // Checked once the last line was read (not on close: a reader that stops early has not seen
    // them all).
    Stream<ArchivedRecord> end =
        Stream.<ArchivedRecord>of((ArchivedRecord) null)
            .filter(
                none -> {
                  if (manifest != null
                      && (segmentFacts[0] != manifest.count()
                          || segmentFacts[1] != manifest.firstOffset()
                          || segmentFacts[2] != manifest.lastOffset())) {
                    throw new ArchiveIntegrityException(
                        partition,
                        manifest.firstOffset(),
                        null,
                        name,
                        "holds "
                            + segmentFacts[0]
                            + " record(s) at offsets "
                            + segmentFacts[1]
                            + ".."
                            + segmentFacts[2]
                            + " where its manifest says "
                            + manifest.count()
                            + " at "
                            + manifest.firstOffset()
                            + ".."
                            + manifest.lastOffset(),
                        null);
                  }
                  return false;
                });
    return Stream.concat(records, end);
  }

  private void checkAgainstManifest(
      Path segment, String name, SegmentManifest manifest, Map<String, SegmentManifest> indexed) {
    if (!name.equals(manifest.file())) {
      throw segmentProblem(manifest, name, "its manifest names another file: " + manifest.file());
    }
    if (!manifest.equals(indexed.get(name))) {
      throw segmentProblem(
          manifest,
          name,
          indexed.containsKey(name)
              ? "its manifest differs from the one in " + SegmentFiles.INDEX
              : "closed segment missing from " + SegmentFiles.INDEX);
    }
    String sha256 = SegmentFiles.sha256(segment);
    if (!sha256.equals(manifest.sha256())) {
      throw segmentProblem(
          manifest,
          name,
          "SHA-256 "
              + sha256
              + " differs from its manifest's "
              + manifest.sha256()
              + ": the file changed after it was closed");
    }
  }

  private Map<String, SegmentManifest> indexedManifests() {
    Map<String, SegmentManifest> indexed = new LinkedHashMap<>();
    for (SegmentManifest manifest : new ManifestIndex(directory).read()) {
      if (indexed.put(manifest.file(), manifest) != null) {
        throw segmentProblem(manifest, manifest.file(), "listed twice in " + SegmentFiles.INDEX);
      }
      Path segment = directory.resolve(manifest.file()).normalize();
      if (!segment.startsWith(directory) || !Files.exists(segment)) {
        throw segmentProblem(
            manifest,
            manifest.file(),
            "listed in " + SegmentFiles.INDEX + " but the segment is missing");
      }
      if (!Objects.equals(manifestBeside(segment), manifest)) {
        throw segmentProblem(
            manifest,
            manifest.file(),
            "its manifest differs from the one in " + SegmentFiles.INDEX);
      }
    }
    return indexed;
  }

  private static ArchiveIntegrityException segmentProblem(
      SegmentManifest manifest, String name, String reason) {
    return new ArchiveIntegrityException(
        manifest.partition(), manifest.firstOffset(), null, name, reason, null);
  }

  private SegmentManifest manifestBeside(Path segment) {
    Path file = SegmentFiles.manifestOf(segment);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return SegmentManifest.parse(
          Files.readString(file, StandardCharsets.UTF_8),
          SegmentFiles.relativeName(directory, file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
