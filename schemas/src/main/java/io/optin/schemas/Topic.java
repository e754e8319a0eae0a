package io.optin.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * One Kafka topic of the product contract: its name, layout, retention, the types of its key and
 * value, and the one module that writes it.
 *
 * <p>A topic has one {@link #writer()}; a module that writes it too is an {@link OtherWriter},
 * named with the reason it stays, so a second writer is always a decision on record, never an
 * accident. The writer is null only for a topic built outside the catalogue (a test of {@link
 * Topics} fails on it).
 *
 * <p>Keys are plain UTF-8 strings (phone in E.164, or {@code programId:phone}); values are Avro
 * records in the Confluent wire format. Value serdes come from {@code
 * io.optin.schemas.serde.AvroSerdes#forTopic}, so nothing else spells a topic name.
 */
public record Topic<V extends SpecificRecord>(
    String name,
    Class<V> valueType,
    CleanupPolicy cleanupPolicy,
    Duration retention,
    boolean coPartitioned,
    String keyDescription,
    Map<String, String> extraConfigs,
    Writer writer,
    List<OtherWriter> otherWriters,
    Optional<Integer> fixedPartitions) {

  /** How Kafka discards old records of a topic. */
  public enum CleanupPolicy {
    DELETE("delete"),
    COMPACT("compact");

    private final String config;

    CleanupPolicy(String config) {
      this.config = config;
    }

    public String config() {
      return config;
    }
  }

  /**
   * A module that writes the topic besides its {@link Topic#writer()}, and why it is not moved.
   *
   * @param why the reason a single writer would cost more than it is worth, in a sentence
   */
  public record OtherWriter(Writer writer, String why) {

    public OtherWriter {
      Objects.requireNonNull(writer, "writer");
      if (why == null || why.isBlank()) {
        throw new IllegalArgumentException("a second writer of a topic needs its reason");
      }
    }
  }

  /** Retention meaning "keep forever" ({@code retention.ms=-1}). */
  public static final Duration INFINITE = Duration.ofMillis(-1);

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(valueType, "valueType");
    Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
    Objects.requireNonNull(retention, "retention");
    extraConfigs = Map.copyOf(extraConfigs);
    otherWriters = List.copyOf(otherWriters);
    Objects.requireNonNull(fixedPartitions, "fixedPartitions");
    if (fixedPartitions.isPresent() && (coPartitioned || fixedPartitions.get() < 1)) {
      throw new IllegalArgumentException(
          name + ": a fixed partition count is positive and never co-partitioned");
    }
    Set<Writer> seen = EnumSet.noneOf(Writer.class);
    for (OtherWriter other : otherWriters) {
      if (writer == null || other.writer() == writer || !seen.add(other.writer())) {
        throw new IllegalArgumentException(
            name + ": another writer must differ from the writer and from the other ones");
      }
    }
  }

  /** A topic with only the cleanup policy and retention configs. */
  public Topic(
      String name,
      Class<V> valueType,
      CleanupPolicy cleanupPolicy,
      Duration retention,
      boolean coPartitioned,
      String keyDescription) {
    this(
        name,
        valueType,
        cleanupPolicy,
        retention,
        coPartitioned,
        keyDescription,
        Map.of(),
        null,
        List.of(),
        Optional.empty());
  }

  /** The same topic, written by {@code module}. */
  public Topic<V> writtenBy(Writer module) {
    return new Topic<>(
        name,
        valueType,
        cleanupPolicy,
        retention,
        coPartitioned,
        keyDescription,
        extraConfigs,
        Objects.requireNonNull(module, "module"),
        otherWriters,
        fixedPartitions);
  }

  /** The same topic, written by {@code module} too, for the reason given. */
  public Topic<V> alsoWrittenBy(Writer module, String why) {
    List<OtherWriter> others = new ArrayList<>(otherWriters);
    others.add(new OtherWriter(module, why));
    return new Topic<>(
        name,
        valueType,
        cleanupPolicy,
        retention,
        coPartitioned,
        keyDescription,
        extraConfigs,
        writer,
        others,
        fixedPartitions);
  }

  /** Every module that writes the topic: the writer first, then the others in catalogue order. */
  public List<Writer> writers() {
    List<Writer> all = new ArrayList<>();
    if (writer != null) {
      all.add(writer);
    }
    otherWriters.forEach(other -> all.add(other.writer()));
    return List.copyOf(all);
  }

  /** The same topic created with these further topic-level configs (e.g. fast compaction). */
  public Topic<V> withConfigs(Map<String, String> configs) {
    Map<String, String> merged = new LinkedHashMap<>(extraConfigs);
    merged.putAll(configs);
    return new Topic<>(
        name,
        valueType,
        cleanupPolicy,
        retention,
        coPartitioned,
        keyDescription,
        merged,
        writer,
        otherWriters,
        fixedPartitions);
  }

  /**
   * The same topic, always created with {@code partitions} partitions whatever {@code
   * topics.partitions} says (a log that must keep one total order has one).
   */
  public Topic<V> withPartitions(int partitions) {
    return new Topic<>(
        name,
        valueType,
        cleanupPolicy,
        retention,
        coPartitioned,
        keyDescription,
        extraConfigs,
        writer,
        otherWriters,
        Optional.of(partitions));
  }

  /** The Schema Registry subject of the value under the TopicNameStrategy. */
  public String valueSubject() {
    return name + "-value";
  }

  /** Topic-level configs to create the topic with. */
  public Map<String, String> configs() {
    Map<String, String> configs = new LinkedHashMap<>();
    configs.put("cleanup.policy", cleanupPolicy.config());
    if (cleanupPolicy == CleanupPolicy.DELETE) {
      configs.put("retention.ms", Long.toString(retention.toMillis()));
    }
    new TreeMap<>(extraConfigs).forEach(configs::put);
    return configs;
  }

  /**
   * The same topic with another retention (for example the ledger kept 5 years instead of forever).
   */
  public Topic<V> withRetention(Duration newRetention) {
    return new Topic<>(
        name,
        valueType,
        cleanupPolicy,
        newRetention,
        coPartitioned,
        keyDescription,
        extraConfigs,
        writer,
        otherWriters,
        fixedPartitions);
  }
}
