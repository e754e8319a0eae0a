package io.optin.audit.archive;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The newline-terminated lines of a segment file, read lazily; a last fragment without newline (a
 * write in flight, or cut by a crash) is reported as such instead of being taken for a line.
 */
final class SegmentLines implements Iterator<SegmentLines.Line> {

  /**
   * A line (without its newline) and its 1-based number; {@code whole} is false for an unterminated
   * fragment.
   */
  record Line(int number, String text, boolean whole) {}

  private final Path file;
  private final InputStream in;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
  private Line next;
  private int number;
  private boolean done;

  private SegmentLines(Path file) throws IOException {
    this.file = file;
    this.in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
  }

  static Stream<Line> of(Path file) {
    try {
      SegmentLines lines = new SegmentLines(file);
      return StreamSupport.stream(
              Spliterators.spliteratorUnknownSize(lines, Spliterator.ORDERED), false)
          .onClose(lines::close);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  @Override
  public boolean hasNext() {
    if (next == null && !done) {
      next = readLine();
    }
    return next != null;
  }

  @Override
  public Line next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Line line = next;
    next = null;
    return line;
  }

  private Line readLine() {
    buffer.reset();
    try {
      for (int b = in.read(); ; b = in.read()) {
        if (b < 0) {
          done = true;
          return buffer.size() == 0
              ? null
              : new Line(++number, buffer.toString(StandardCharsets.UTF_8), false);
        }
        if (b == '\n') {
          return new Line(++number, buffer.toString(StandardCharsets.UTF_8), true);
        }
        buffer.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private void close() {
    try {
      in.close();
    } catch (IOException e) {
      // Read-only: nothing to lose.
    }
  }
}
