package io.optin.devkit.registry;

import io.optin.devkit.registry.RegistryRecord.CompatibilityConfigured;
import io.optin.devkit.registry.RegistryRecord.SchemaRegistered;
import io.optin.schemas.evolution.CompatibilityLevel;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The registry's rules: a schema text keeps one id everywhere, a subject only accepts versions its
 * compatibility level allows, and every change is written to the log before it becomes visible.
 *
 * <p>Single writer: ids and versions are allocated from this instance's memory, so exactly one
 * registry may write to a given log topic at a time (no leader election as in Confluent's
 * multi-instance setup).
 */
final class SchemaCatalog {

  private final SchemaLog log;
  private final RegistryState state;

  SchemaCatalog(SchemaLog log, RegistryState state) {
    this.log = log;
    this.state = state;
  }

  synchronized List<String> subjects() {
    return state.subjects();
  }

  synchronized List<Integer> versions(String subject) {
    return existingVersions(subject).stream().map(RegisteredSchema::version).toList();
  }

  synchronized RegisteredSchema version(String subject, VersionRef ref) {
    return ref.pick(existingVersions(subject))
        .orElseThrow(() -> RegistryErrors.versionNotFound(ref.number()));
  }

  synchronized String schemaById(int id) {
    return state.schema(id).orElseThrow(() -> RegistryErrors.schemaIdNotFound(id));
  }

  /**
   * The id of {@code schema} under {@code subject}, registering it as the next version when it is
   * new.
   */
  synchronized int register(String subject, Schema schema) {
    String text = schema.toString();
    List<RegisteredSchema> earlier = state.versions(subject).orElse(List.of());
    Optional<RegisteredSchema> existing =
        earlier.stream().filter(v -> v.schema().equals(text)).findFirst();
    if (existing.isPresent()) {
      return existing.get().id();
    }
    List<String> problems = CompatibilityMessages.check(effectiveLevel(subject), schema, earlier);
    if (!problems.isEmpty()) {
      throw RegistryErrors.incompatible(subject, problems);
    }
    int id = state.idOf(text).orElseGet(state::nextId);
    int version = earlier.isEmpty() ? 1 : earlier.get(earlier.size() - 1).version() + 1;
    write(new SchemaRegistered(new RegisteredSchema(subject, version, id, text)));
    return id;
  }

  /** The version of {@code subject} whose schema is {@code schema}. */
  synchronized RegisteredSchema lookup(String subject, Schema schema) {
    String text = schema.toString();
    return existingVersions(subject).stream()
        .filter(v -> v.schema().equals(text))
        .findFirst()
        .orElseThrow(RegistryErrors::schemaNotFound);
  }

  /**
   * Compatibility problems of {@code candidate} against one version of {@code subject}, or against
   * all of them (as the subject's level says) when {@code ref} is empty. Empty when compatible.
   */
  synchronized List<String> compatibilityProblems(
      String subject, Optional<VersionRef> ref, Schema candidate) {
    List<RegisteredSchema> earlier =
        ref.isPresent() ? List.of(version(subject, ref.get())) : existingVersions(subject);
    return CompatibilityMessages.check(effectiveLevel(subject), candidate, earlier);
  }

  synchronized CompatibilityLevel globalLevel() {
    return state.globalLevel();
  }

  synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
    return state.subjectLevel(subject);
  }

  synchronized void configureGlobal(CompatibilityLevel level) {
    write(new CompatibilityConfigured(Optional.empty(), Optional.of(level)));
  }

  synchronized void configureSubject(String subject, CompatibilityLevel level) {
    write(new CompatibilityConfigured(Optional.of(subject), Optional.of(level)));
  }

  private CompatibilityLevel effectiveLevel(String subject) {
    return state.subjectLevel(subject).orElseGet(state::globalLevel);
  }

  private List<RegisteredSchema> existingVersions(String subject) {
    return state.versions(subject).orElseThrow(() -> RegistryErrors.subjectNotFound(subject));
  }

  private void write(RegistryRecord fact) {
    log.append(fact);
    state.apply(fact);
  }
}
