package io.optin.devkit.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optin.devkit.registry.RegistryRecord.CompatibilityConfigured;
import io.optin.devkit.registry.RegistryRecord.SchemaRegistered;
import io.optin.schemas.evolution.CompatibilityLevel;
import java.util.Optional;

/**
 * Registry facts as JSON keys and values in the layout Confluent Schema Registry uses in {@code
 * _schemas}.
 *
 * <p>Keys are written with a fixed field order because compaction keeps one value per identical key
 * bytes. Records of kinds this registry does not keep (modes, deletions, no-ops) decode to nothing.
 */
final class RegistryRecordCodec {

  /** A record ready for the log; {@code value} is null for a tombstone. */
  record Encoded(String key, String value) {}

  private final ObjectMapper json;

  RegistryRecordCodec(ObjectMapper json) {
    this.json = json;
  }

  Encoded encode(RegistryRecord record) {
    if (record instanceof SchemaRegistered registered) {
      RegisteredSchema s = registered.schema();
      ObjectNode key =
          json.createObjectNode()
              .put("keytype", "SCHEMA")
              .put("subject", s.subject())
              .put("version", s.version())
              .put("magic", 1);
      ObjectNode value =
          json.createObjectNode()
              .put("subject", s.subject())
              .put("version", s.version())
              .put("id", s.id())
              .put("schema", s.schema())
              .put("deleted", false);
      return new Encoded(write(key), write(value));
    }
    CompatibilityConfigured configured = (CompatibilityConfigured) record;
    ObjectNode key = json.createObjectNode().put("keytype", "CONFIG");
    key.put("subject", configured.subject().orElse(null));
    key.put("magic", 0);
    String value =
        configured
            .level()
            .map(level -> write(json.createObjectNode().put("compatibilityLevel", level.name())))
            .orElse(null);
    return new Encoded(write(key), value);
  }

  /** The fact a log record holds, or empty for a kind this registry ignores. */
  Optional<RegistryRecord> decode(String key, String value) {
    JsonNode k = read(key);
    String keyType = k.path("keytype").asText("");
    if ("SCHEMA".equals(keyType)) {
      return decodeSchema(value);
    }
    if ("CONFIG".equals(keyType)) {
      Optional<String> subject =
          k.hasNonNull("subject") ? Optional.of(k.get("subject").asText()) : Optional.empty();
      Optional<CompatibilityLevel> level =
          value == null
              ? Optional.empty()
              : CompatibilityLevel.parse(read(value).path("compatibilityLevel").asText(null));
      return Optional.of(new CompatibilityConfigured(subject, level));
    }
    return Optional.empty();
  }

  private Optional<RegistryRecord> decodeSchema(String value) {
    if (value == null) {
      return Optional.empty();
    }
    JsonNode v = read(value);
    if (v.path("deleted").asBoolean(false)) {
      return Optional.empty();
    }
    return Optional.of(
        new SchemaRegistered(
            new RegisteredSchema(
                v.path("subject").asText(),
                v.path("version").asInt(),
                v.path("id").asInt(),
                v.path("schema").asText())));
  }

  private String write(JsonNode node) {
    try {
      return json.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write registry record", e);
    }
  }

  private JsonNode read(String text) {
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Unreadable registry record: " + text, e);
    }
  }
}
