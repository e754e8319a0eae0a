package io.optin.devkit.registry;

import io.optin.devkit.registry.RegistryRecord.CompatibilityConfigured;
import io.optin.devkit.registry.RegistryRecord.SchemaRegistered;
import io.optin.schemas.evolution.CompatibilityLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the registry log says so far: subjects with their versions, schemas by id, compatibility
 * levels. Not thread-safe: {@link SchemaCatalog} serialises every access.
 */
final class RegistryState {

  private final Map<String, NavigableMap<Integer, RegisteredSchema>> subjects = new TreeMap<>();
  private final Map<Integer, String> schemasById = new HashMap<>();
  private final Map<String, Integer> idsBySchema = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.DEFAULT;
  private int maxId;

  void apply(RegistryRecord record) {
    if (record instanceof SchemaRegistered registered) {
      RegisteredSchema s = registered.schema();
      subjects.computeIfAbsent(s.subject(), subject -> new TreeMap<>()).put(s.version(), s);
      schemasById.put(s.id(), s.schema());
      idsBySchema.merge(s.schema(), s.id(), Math::min);
      maxId = Math.max(maxId, s.id());
    } else if (record instanceof CompatibilityConfigured configured) {
      if (configured.subject().isEmpty()) {
        globalLevel = configured.level().orElse(CompatibilityLevel.DEFAULT);
      } else if (configured.level().isPresent()) {
        subjectLevels.put(configured.subject().get(), configured.level().get());
      } else {
        subjectLevels.remove(configured.subject().get());
      }
    }
  }

  List<String> subjects() {
    return List.copyOf(subjects.keySet());
  }

  /** The versions of {@code subject}, oldest first, or empty when the subject has none. */
  Optional<List<RegisteredSchema>> versions(String subject) {
    NavigableMap<Integer, RegisteredSchema> versions = subjects.get(subject);
    return versions == null || versions.isEmpty()
        ? Optional.empty()
        : Optional.of(new ArrayList<>(versions.values()));
  }

  Optional<String> schema(int id) {
    return Optional.ofNullable(schemasById.get(id));
  }

  /** The id a schema text already has anywhere in the registry. */
  Optional<Integer> idOf(String schema) {
    return Optional.ofNullable(idsBySchema.get(schema));
  }

  int nextId() {
    return maxId + 1;
  }

  CompatibilityLevel globalLevel() {
    return globalLevel;
  }

  Optional<CompatibilityLevel> subjectLevel(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  int schemaCount() {
    return schemasById.size();
  }
}
