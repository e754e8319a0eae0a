package io.optin.audit.archive;

import io.optin.kit.files.OwnerOnly;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The one segment of a partition still being appended to; it becomes immutable when {@link #seal}
 * writes its manifest.
 */
final class OpenSegment {

  private final Path archive;
  private final Path file;
  private final int partition;
  private final long firstOffset;
  private final FileChannel channel;
  private final OutputStream out;
  private long count;
  private long bytes;
  private long lastOffset;

  private OpenSegment(
      Path archive,
      Path file,
      int partition,
      long firstOffset,
      long count,
      long bytes,
      long lastOffset)
      throws IOException {
    this.archive = archive;
    this.file = file;
    this.partition = partition;
    this.firstOffset = firstOffset;
    this.count = count;
    this.bytes = bytes;
    this.lastOffset = lastOffset;
    this.channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
  }

  /** A new, empty segment starting at {@code firstOffset}. */
  static OpenSegment create(Path archive, int partition, long firstOffset) {
    Path file = SegmentFiles.segment(archive, partition, firstOffset);
    try {
      OwnerOnly.directory(file.getParent());
      OpenSegment segment = new OpenSegment(archive, file, partition, firstOffset, 0, 0, -1);
      SegmentFiles.syncDirectory(file.getParent());
      return segment;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create segment " + file, e);
    }
  }

  /** An existing segment whose recovered lines are {@code tail}, reopened for appending. */
  static OpenSegment resume(Path archive, Path file, int partition, SegmentTail tail) {
    try {
      return new OpenSegment(
          archive,
          file,
          partition,
          tail.firstOffset(),
          tail.count(),
          tail.validBytes(),
          tail.lastOffset());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reopen segment " + file, e);
    }
  }

  void append(byte[] line, long offset) {
    try {
      out.write(line);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
    count++;
    bytes += line.length;
    lastOffset = offset;
  }

  /**
   * Forces everything appended so far to disk: after this, the lines are the archive's position.
   */
  void sync() {
    try {
      out.flush();
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync " + file, e);
    }
  }

  boolean isFull(SegmentRotation rotation) {
    return count >= rotation.maxRecords() || bytes >= rotation.maxBytes();
  }

  /** Syncs, closes the file and returns its manifest; the caller stores the manifest. */
  SegmentManifest seal(Instant now) {
    sync();
    closeQuietly();
    return new SegmentManifest(
        SegmentFiles.relativeName(archive, file),
        partition,
        firstOffset,
        lastOffset,
        count,
        bytes,
        SegmentFiles.sha256(file),
        now);
  }

  Path file() {
    return file;
  }

  long count() {
    return count;
  }

  void closeQuietly() {
    try {
      out.flush();
      channel.close();
    } catch (IOException e) {
      // Nothing more can be lost here: what was synced is the position, the rest is rewritten after
      // a restart.
    }
  }
}
