package io.optin.schemas.registry;

import io.optin.schemas.evolution.Compatibility;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.avro.Schema;

/**
 * A Schema Registry held in memory, for TopologyTestDriver and unit tests that need real
 * Confluent-wire-format bytes without a registry process.
 *
 * <p>Behaves like Confluent's registry where serdes can tell: ids are global and assigned per
 * distinct schema, from 1 by default (the same schema under two subjects gets the same id);
 * registering a schema twice creates no new version; subjects check BACKWARD compatibility against
 * their latest version (409 otherwise); unknown subjects, schemas and ids raise the same error
 * codes (40401, 40403). Thread-safe. State lives as long as the instance, so the serdes that must
 * read each other's records share one instance:
 *
 * <pre>{@code
 * AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
 * TestInputTopic<String, SignupRequested> in = driver.createInputTopic(Topics.SIGNUP_REQUESTS.name(),
 *     new StringSerializer(), serdes.forTopic(Topics.SIGNUP_REQUESTS).serializer());
 * }</pre>
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

  private final Map<String, Integer> idsBySchemaText = new HashMap<>();
  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, List<Integer>> idsBySubject = new HashMap<>();
  // Serializers pass the same Schema instance for every record; printing it each time dominated
  // TopologyTestDriver runs.
  private final Map<Schema, String> textBySchema = new IdentityHashMap<>();
  private int nextId;

  /** A registry numbering schemas from 1, as a fresh Confluent Schema Registry does. */
  public InMemorySchemaRegistryClient() {
    this(1);
  }

  /**
   * A registry numbering schemas from {@code firstId} (Confluent Cloud's ids start at 100001, for
   * example).
   */
  public InMemorySchemaRegistryClient(int firstId) {
    if (firstId < 0) {
      throw new IllegalArgumentException("schema ids are not negative: " + firstId);
    }
    this.nextId = firstId;
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    String text = textOf(schema);
    List<Integer> versions = idsBySubject.getOrDefault(subject, List.of());
    Integer known = idsBySchemaText.get(text);
    if (known != null && versions.contains(known)) {
      return known;
    }
    if (!versions.isEmpty()) {
      Schema latest = schemasById.get(versions.get(versions.size() - 1));
      List<String> problems = Compatibility.problems(schema, latest);
      if (!problems.isEmpty()) {
        throw new SchemaRegistryException(
            409,
            SchemaRegistryException.INCOMPATIBLE_SCHEMA,
            "Schema "
                + schema.getFullName()
                + " is incompatible with subject '"
                + subject
                + "': it cannot read data written with version "
                + versions.size()
                + " (BACKWARD): "
                + problems);
      }
    }
    int id = known != null ? known : assignId(text);
    idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
    return id;
  }

  @Override
  public synchronized int lookupId(String subject, Schema schema) {
    List<Integer> versions = existingSubject(subject);
    Integer id = idsBySchemaText.get(textOf(schema));
    if (id == null || !versions.contains(id)) {
      throw new SchemaRegistryException(
          404,
          SchemaRegistryException.SCHEMA_NOT_FOUND,
          "Schema " + schema.getFullName() + " is not registered under subject '" + subject + "'");
    }
    return id;
  }

  private String textOf(Schema schema) {
    return textBySchema.computeIfAbsent(schema, Schema::toString);
  }

  @Override
  public synchronized Schema schemaById(int id) {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new SchemaRegistryException(
          404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
    }
    return schema;
  }

  @Override
  public synchronized RegisteredSchema latest(String subject) {
    List<Integer> versions = existingSubject(subject);
    int id = versions.get(versions.size() - 1);
    return new RegisteredSchema(subject, id, versions.size(), schemasById.get(id));
  }

  /** Every subject that has at least one version, sorted. */
  public synchronized List<String> subjects() {
    return List.copyOf(new TreeSet<>(idsBySubject.keySet()));
  }

  /** The ids of a subject's versions, oldest first; empty for an unknown subject. */
  public synchronized List<Integer> versionIds(String subject) {
    return List.copyOf(idsBySubject.getOrDefault(subject, List.of()));
  }

  private List<Integer> existingSubject(String subject) {
    List<Integer> versions = idsBySubject.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw new SchemaRegistryException(
          404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found");
    }
    return versions;
  }

  private int assignId(String text) {
    int id = nextId++;
    idsBySchemaText.put(text, id);
    // Kept as a registry keeps it, as text parsed again: readers get what a real registry would
    // hand them.
    schemasById.put(id, new Schema.Parser().parse(text));
    return id;
  }
}
