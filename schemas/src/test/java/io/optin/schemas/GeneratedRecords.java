package io.optin.schemas;

import io.optin.avro.SignupRequested;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Finds what the build generated and what was released: every record class of io.optin.avro, every
 * released schema.
 */
public final class GeneratedRecords {

  private GeneratedRecords() {}

  /**
   * Every record class generated from schemas/src/main/avro, found on disk so a new .avsc cannot be
   * forgotten.
   */
  public static List<Class<? extends SpecificRecord>> recordClasses() {
    Path dir = classesRoot().resolve(SignupRequested.class.getPackageName().replace('.', '/'));
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(name -> name.endsWith(".class") && !name.contains("$"))
          .map(
              name ->
                  load(SignupRequested.class.getPackageName() + "." + name.replace(".class", "")))
          .filter(SpecificRecord.class::isAssignableFrom)
          .<Class<? extends SpecificRecord>>map(type -> type.asSubclass(SpecificRecord.class))
          .sorted((a, b) -> a.getName().compareTo(b.getName()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The released schemas of src/test/resources/released, by file name ({@code Name.avsc}, {@code
   * Name.v2.avsc}).
   */
  public static Map<String, Schema> releasedSchemas() {
    Map<String, Schema> released = new TreeMap<>();
    try (Stream<Path> files = Files.list(resource("released"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).toList()) {
        released.put(
            file.getFileName().toString(), new Schema.Parser().parse(Files.readString(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return released;
  }

  /** The record a released file is a version of: the file name up to its first dot. */
  public static String recordNameOf(String releasedFile) {
    return releasedFile.substring(0, releasedFile.indexOf('.'));
  }

  /** The schema a generated class was built from. */
  public static Schema schemaOf(Class<? extends SpecificRecord> type) {
    try {
      return (Schema) type.getMethod("getClassSchema").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type + " has no getClassSchema()", e);
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path classesRoot() {
    try {
      return Path.of(
          SignupRequested.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path resource(String name) {
    try {
      return Path.of(GeneratedRecords.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
