package io.optin.audit.archive;

import io.optin.kit.files.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger as append-only JSON Lines segment files per partition; its position is its last whole
 * line, so a restart cuts a half-written line and resumes right after the last record on disk.
 *
 * <p>Order of writes, each forced to disk before the next: lines of a batch; on rotation the
 * segment, then its manifest (written aside and renamed), then its line in {@code manifests.jsonl}.
 * Opening repairs whichever step a crash interrupted. One process at a time: the directory is
 * locked while open.
 */
public final class SegmentFileArchive implements ArchiveSink {

  private static final Logger LOG = LoggerFactory.getLogger(SegmentFileArchive.class);

  private final Path directory;
  private final SegmentRotation rotation;
  private final Clock clock;
  private final SchemaDirectory schemas;
  private final ManifestIndex index;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<Integer, OpenSegment> open = new TreeMap<>();
  private final Map<Integer, Long> next = new TreeMap<>();

  private SegmentFileArchive(Path directory, SegmentRotation rotation, Clock clock)
      throws IOException {
    this.directory = directory;
    this.rotation = rotation;
    this.clock = clock;
    this.schemas = new SchemaDirectory(directory);
    this.index = new ManifestIndex(directory);
    OwnerOnly.directory(directory);
    this.lockChannel =
        FileChannel.open(
            directory.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    this.lock = tryLock(lockChannel);
    if (lock == null) {
      lockChannel.close();
      throw new IllegalStateException("another archiver holds " + directory);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by this very JVM
    }
  }

  /**
   * Opens (creating it if needed) the archive in {@code directory}, repairing what a crash left
   * unfinished.
   */
  public static SegmentFileArchive open(Path directory, SegmentRotation rotation, Clock clock) {
    try {
      SegmentFileArchive archive =
          new SegmentFileArchive(directory.toAbsolutePath(), rotation, clock);
      try {
        archive.recover();
      } catch (RuntimeException e) {
        archive.close();
        throw e;
      }
      return archive;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the segment archive in " + directory, e);
    }
  }

  @Override
  public synchronized Map<Integer, Long> positions() {
    return Map.copyOf(next);
  }

  @Override
  public synchronized void append(List<ArchivedRecord> batch) {
    Set<Integer> touched = new LinkedHashSet<>();
    for (ArchivedRecord record : batch) {
      Long position = next.get(record.partition());
      if (position != null && record.offset() < position) {
        continue;
      }
      schemas.keep(record.schemaId(), record.writerSchema());
      OpenSegment segment =
          open.computeIfAbsent(
              record.partition(),
              partition -> OpenSegment.create(directory, partition, record.offset()));
      segment.append(ArchiveLine.encode(record), record.offset());
      next.put(record.partition(), record.offset() + 1);
      touched.add(record.partition());
      if (segment.isFull(rotation)) {
        seal(record.partition());
      }
    }
    for (int partition : touched) {
      OpenSegment segment = open.get(partition);
      if (segment != null) {
        segment.sync();
      }
    }
  }

  /**
   * Closes the open segment of every partition now (for example before handing the directory to an
   * auditor).
   */
  public synchronized void sealOpenSegments() {
    for (int partition : new ArrayList<>(open.keySet())) {
      seal(partition);
    }
  }

  public Path directory() {
    return directory;
  }

  @Override
  public String describe() {
    return "segment files in " + directory;
  }

  /** Releases the files; open segments stay open and are resumed by the next {@link #open}. */
  @Override
  public synchronized void close() {
    open.values().forEach(OpenSegment::closeQuietly);
    open.clear();
    try {
      if (lock.isValid()) {
        lock.release();
      }
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("Could not release the lock of {}", directory, e);
    }
  }

  private void seal(int partition) {
    OpenSegment segment = open.remove(partition);
    if (segment == null || segment.count() == 0) {
      return;
    }
    storeManifest(segment.seal(clock.instant()), segment.file());
  }

  private void storeManifest(SegmentManifest manifest, Path segment) {
    Path target = SegmentFiles.manifestOf(segment);
    Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      Files.writeString(temporary, manifest.toJson() + "\n", StandardCharsets.UTF_8);
      SegmentFiles.sync(temporary);
      SegmentFiles.moveAtomically(temporary, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write manifest " + target, e);
    }
    index.append(manifest);
  }

  private void recover() throws IOException {
    index.truncatePartialLine();
    Set<String> indexed = new HashSet<>();
    index.read().forEach(manifest -> indexed.add(manifest.file()));
    for (int partition : SegmentFiles.partitions(directory)) {
      List<Path> segments = SegmentFiles.segments(directory, partition);
      for (int i = 0; i < segments.size(); i++) {
        Path segment = segments.get(i);
        Path manifestFile = SegmentFiles.manifestOf(segment);
        Files.deleteIfExists(manifestFile.resolveSibling(manifestFile.getFileName() + ".tmp"));
        if (Files.exists(manifestFile)) {
          SegmentManifest manifest =
              SegmentManifest.parse(
                  Files.readString(manifestFile, StandardCharsets.UTF_8),
                  SegmentFiles.relativeName(directory, manifestFile));
          if (indexed.add(manifest.file())) {
            LOG.info(
                "Adding the manifest of {} to {} (a crash came between the two)",
                manifest.file(),
                SegmentFiles.INDEX);
            index.append(manifest);
          }
          next.put(partition, manifest.lastOffset() + 1);
        } else if (i < segments.size() - 1) {
          throw new ArchiveIntegrityException(
              SegmentFiles.relativeName(directory, segment),
              "segment has no manifest but is not the last of partition " + partition);
        } else {
          resumeOpenSegment(partition, segment);
        }
      }
    }
  }

  private void resumeOpenSegment(int partition, Path segment) throws IOException {
    SegmentTail tail = SegmentTail.scan(segment, partition);
    if (tail.hasPartialTail()) {
      LOG.warn(
          "Cutting {} byte(s) a crash left after the last whole line of {}",
          tail.fileBytes() - tail.validBytes(),
          segment);
      tail.truncate(segment);
    }
    if (tail.count() == 0) {
      Files.delete(segment);
      return;
    }
    OpenSegment resumed = OpenSegment.resume(directory, segment, partition, tail);
    open.put(partition, resumed);
    next.put(partition, tail.lastOffset() + 1);
    if (resumed.isFull(rotation)) {
      seal(partition);
    }
  }
}
