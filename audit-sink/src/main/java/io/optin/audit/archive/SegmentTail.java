package io.optin.audit.archive;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The whole lines at the start of an open segment, and what a crash left after them: a half-written
 * line (or bytes that are not a line) at the end of the file, which {@link #truncate} removes.
 *
 * @param validBytes length of the whole, well-formed lines
 * @param fileBytes length of the file
 */
record SegmentTail(long firstOffset, long lastOffset, long count, long validBytes, long fileBytes) {

  /**
   * Scans a segment of {@code partition}. Only the end of a file may be damaged by a crash: a bad
   * line followed by good ones is not a crash's trace, and is refused rather than cut away.
   *
   * @throws ArchiveIntegrityException when a damaged line is followed by a whole one
   */
  static SegmentTail scan(Path file, int partition) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    long first = -1;
    long last = -1;
    long count = 0;
    int start = 0;
    int lineNumber = 0;
    while (start < content.length) {
      int end = indexOf(content, start);
      if (end < 0) {
        break;
      }
      lineNumber++;
      long offset = offsetOf(content, start, end, partition);
      if (offset <= last) {
        if (anyWholeLineAfter(content, end + 1, partition)) {
          throw new ArchiveIntegrityException(
              file + " line " + lineNumber,
              "damaged line followed by whole ones: not the trace of a crash, refusing to cut it");
        }
        break;
      }
      first = count == 0 ? offset : first;
      last = offset;
      count++;
      start = end + 1;
    }
    return new SegmentTail(first, last, count, start, content.length);
  }

  boolean hasPartialTail() {
    return validBytes < fileBytes;
  }

  /** Cuts the file after its last whole line and forces the result to disk. */
  void truncate(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(validBytes);
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot truncate " + file, e);
    }
  }

  private static boolean anyWholeLineAfter(byte[] content, int from, int partition) {
    int start = from;
    while (start < content.length) {
      int end = indexOf(content, start);
      if (end < 0) {
        return false;
      }
      if (offsetOf(content, start, end, partition) >= 0) {
        return true;
      }
      start = end + 1;
    }
    return false;
  }

  /** The line's offset, or -1 when it is not a well-formed archive line of this partition. */
  private static long offsetOf(byte[] content, int start, int end, int partition) {
    try {
      JsonNode line =
          RecordJson.MAPPER.readTree(
              new String(content, start, end - start, StandardCharsets.UTF_8));
      if (line == null
          || !line.path("record").isObject()
          || !line.path("value").isTextual()
          || !line.path("offset").canConvertToLong()
          || line.path("partition").asInt(-1) != partition) {
        return -1;
      }
      return line.get("offset").longValue();
    } catch (IOException e) {
      return -1;
    }
  }

  private static int indexOf(byte[] content, int from) {
    for (int i = from; i < content.length; i++) {
      if (content[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
