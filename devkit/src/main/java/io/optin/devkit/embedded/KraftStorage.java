package io.optin.devkit.embedded;

import io.optin.kit.files.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A KRaft log directory: formatted once with a new cluster id, then reused as it is on every later
 * start.
 */
final class KraftStorage {

  /** Written by the formatter into every formatted log directory. */
  static final String META_PROPERTIES = "meta.properties";

  private final Path directory;

  KraftStorage(Path directory) {
    this.directory = directory;
  }

  /**
   * Returns the cluster id of this directory, formatting it first when it has never been formatted.
   * A formatted directory is never reformatted: that would orphan the data it holds.
   */
  String formatOrReuse(int nodeId, String controllerListenerName) {
    return formatOrReuseAs(nodeId, controllerListenerName, Uuid.randomUuid().toString());
  }

  /**
   * As {@link #formatOrReuse(int, String)}, formatting a new directory with {@code clusterId}: the
   * nodes of one cluster share it. A directory formatted before for another cluster is refused.
   */
  String formatOrReuse(int nodeId, String controllerListenerName, String clusterId) {
    String kept = formatOrReuseAs(nodeId, controllerListenerName, clusterId);
    if (!kept.equals(clusterId)) {
      throw new IllegalStateException(
          directory
              + " belongs to Kafka cluster "
              + kept
              + ", not "
              + clusterId
              + ": delete it to start afresh");
    }
    return kept;
  }

  private String formatOrReuseAs(int nodeId, String controllerListenerName, String clusterId) {
    try {
      // The log holds the flow topics' personal data in clear: owner only, even when reused.
      OwnerOnly.directory(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create Kafka data directory " + directory, e);
    }
    Optional<String> existing = existingClusterId();
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(nodeId)
          .setClusterId(clusterId)
          .setDirectories(List.of(directory.toString()))
          .setMetadataLogDirectory(directory.toString())
          .setControllerListenerName(controllerListenerName)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create Kafka data directory " + directory, e);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot format Kafka data directory " + directory, e);
    }
    return clusterId;
  }

  /** The cluster id recorded in this directory, if it was formatted before. */
  Optional<String> existingClusterId() {
    Path meta = directory.resolve(META_PROPERTIES);
    if (!Files.isRegularFile(meta)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(meta)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + meta, e);
    }
    String clusterId = properties.getProperty("cluster.id");
    if (clusterId == null || clusterId.isBlank()) {
      throw new IllegalStateException(meta + " has no cluster.id: the data directory is damaged");
    }
    return Optional.of(clusterId);
  }
}
