package io.optin.schemas;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * One Kafka topic of the product contract: its name, layout, retention and the types of its key and
 * value.
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
    Map<String, String> extraConfigs) {

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

  /** Retention meaning "keep forever" ({@code retention.ms=-1}). */
  public static final Duration INFINITE = Duration.ofMillis(-1);

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(valueType, "valueType");
    Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
    Objects.requireNonNull(retention, "retention");
    extraConfigs = Map.copyOf(extraConfigs);
  }

  /** A topic with only the cleanup policy and retention configs. */
  public Topic(
      String name,
      Class<V> valueType,
      CleanupPolicy cleanupPolicy,
      Duration retention,
      boolean coPartitioned,
      String keyDescription) {
    this(name, valueType, cleanupPolicy, retention, coPartitioned, keyDescription, Map.of());
  }

  /** The same topic created with these further topic-level configs (e.g. fast compaction). */
  public Topic<V> withConfigs(Map<String, String> configs) {
    Map<String, String> merged = new LinkedHashMap<>(extraConfigs);
    merged.putAll(configs);
    return new Topic<>(
        name, valueType, cleanupPolicy, retention, coPartitioned, keyDescription, merged);
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
        name, valueType, cleanupPolicy, newRetention, coPartitioned, keyDescription, extraConfigs);
  }
}
