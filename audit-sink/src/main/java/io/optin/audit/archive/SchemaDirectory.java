package io.optin.audit.archive;

import io.optin.kit.files.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * The writer schemas of the archived values, one {@code schemas/<id>.avsc} per Schema Registry id,
 * so the archive decodes without a registry. Written before the first line that needs it.
 */
final class SchemaDirectory {

  private final Path directory;
  private final Map<Integer, Schema> known = new ConcurrentHashMap<>();

  SchemaDirectory(Path archiveDirectory) {
    this.directory = archiveDirectory.resolve("schemas");
  }

  /**
   * Stores the schema under its id unless it is there; refuses a different schema under a known id.
   */
  void keep(int id, Schema schema) {
    Schema existing = schema(id);
    if (existing != null) {
      if (!existing.equals(schema)) {
        throw new IllegalStateException(
            "the archive in "
                + directory.getParent()
                + " keeps another schema under id "
                + id
                + ": was the Schema Registry replaced?");
      }
      return;
    }
    try {
      OwnerOnly.directory(directory);
      Path temporary = directory.resolve(id + ".avsc.tmp");
      Files.writeString(temporary, schema.toString(), StandardCharsets.UTF_8);
      SegmentFiles.sync(temporary);
      SegmentFiles.moveAtomically(temporary, file(id));
      known.put(id, schema);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store writer schema " + id + " in " + directory, e);
    }
  }

  /** The schema stored under this id, or {@code null}. */
  Schema schema(int id) {
    Schema cached = known.get(id);
    if (cached != null) {
      return cached;
    }
    Path file = file(id);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      Schema parsed = new Schema.Parser().parse(Files.readString(file, StandardCharsets.UTF_8));
      known.put(id, parsed);
      return parsed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read writer schema " + file, e);
    } catch (RuntimeException e) {
      throw new ArchiveIntegrityException(
          file.toString(), "not an Avro schema: " + e.getMessage(), e);
    }
  }

  private Path file(int id) {
    return directory.resolve(id + ".avsc");
  }
}
