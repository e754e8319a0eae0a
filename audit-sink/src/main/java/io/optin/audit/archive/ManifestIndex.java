package io.optin.audit.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code manifests.jsonl}: one line per closed segment, in the order they were closed, so an
 * auditor sees every segment the archive ever closed in one file. Appended after the segment's own
 * manifest is on disk.
 */
final class ManifestIndex {

  private final Path file;

  ManifestIndex(Path archiveDirectory) {
    this.file = archiveDirectory.resolve(SegmentFiles.INDEX);
  }

  Path file() {
    return file;
  }

  /** The manifests listed, in order; a missing index is an empty one. */
  List<SegmentManifest> read() {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<SegmentManifest> manifests = new ArrayList<>();
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (!lines.get(i).isBlank()) {
          manifests.add(
              SegmentManifest.parse(lines.get(i), SegmentFiles.INDEX + " line " + (i + 1)));
        }
      }
      return manifests;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Drops a line left half-written by a crash at the end of the index, so it can be appended to
   * again.
   */
  void truncatePartialLine() {
    if (!Files.exists(file)) {
      return;
    }
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      byte[] content = Files.readAllBytes(file);
      int end = content.length;
      while (end > 0 && content[end - 1] != '\n') {
        end--;
      }
      if (end < content.length) {
        channel.truncate(end);
        channel.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot repair " + file, e);
    }
  }

  /** Appends a manifest and forces it to disk. */
  void append(SegmentManifest manifest) {
    byte[] line = (manifest.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }
}
