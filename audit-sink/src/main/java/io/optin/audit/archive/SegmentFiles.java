package io.optin.audit.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The layout of a segment archive on disk: {@code partition-<p>/segment-<first offset, 20
 * digits>.jsonl}, its {@code .manifest.json} once closed, {@code manifests.jsonl} indexing every
 * manifest, {@code schemas/<id>.avsc}.
 */
final class SegmentFiles {

  static final String INDEX = "manifests.jsonl";
  private static final Pattern PARTITION_DIR = Pattern.compile("partition-(\\d+)");
  private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{20})\\.jsonl");

  private SegmentFiles() {}

  static Path partitionDirectory(Path archive, int partition) {
    return archive.resolve("partition-" + partition);
  }

  static Path segment(Path archive, int partition, long firstOffset) {
    return partitionDirectory(archive, partition)
        .resolve(String.format("segment-%020d.jsonl", firstOffset));
  }

  static Path manifestOf(Path segment) {
    String name = segment.getFileName().toString();
    return segment.resolveSibling(
        name.substring(0, name.length() - ".jsonl".length()) + ".manifest.json");
  }

  /** The partitions that have a directory, in ascending order. */
  static List<Integer> partitions(Path archive) {
    if (!Files.isDirectory(archive)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(archive)) {
      return entries
          .map(path -> PARTITION_DIR.matcher(path.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> Integer.parseInt(m.group(1)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + archive, e);
    }
  }

  /** The segment files of a partition, by first offset. */
  static List<Path> segments(Path archive, int partition) {
    Path directory = partitionDirectory(archive, partition);
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return new ArrayList<>(
          entries
              .filter(path -> SEGMENT.matcher(path.getFileName().toString()).matches())
              .sorted()
              .toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }

  /**
   * The segment's path relative to the archive directory, with forward slashes, as manifests name
   * it.
   */
  static String relativeName(Path archive, Path segment) {
    return archive.relativize(segment).toString().replace('\\', '/');
  }

  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        digest.update(buffer, 0, read);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Forces a file's content to disk. */
  static void sync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /**
   * Renames within a directory atomically, then forces the directory entry to disk where the OS
   * allows it.
   */
  static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDirectory(to.getParent());
  }

  static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms (Windows) cannot open a directory; the rename is still durable once the OS
      // flushes.
    }
  }
}
