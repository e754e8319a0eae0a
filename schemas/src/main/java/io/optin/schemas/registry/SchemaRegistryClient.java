package io.optin.schemas.registry;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API that the Avro serdes need: register, look up, fetch
 * by id.
 *
 * <p>Implementations answer every repeated question from memory, so serializing or deserializing a
 * record costs no registry round trip once its schema has been seen. Errors are {@link
 * SchemaRegistryException}s carrying the registry's HTTP status and Confluent error code.
 *
 * <p>Schema references (a schema importing another subject) are not supported: optin's schemas are
 * self-contained, every named type is inlined in the schema of the record that uses it.
 */
public interface SchemaRegistryClient {

  /**
   * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions}) and
   * returns its global id. Registering a schema that is already there returns the existing id and
   * creates no new version.
   *
   * @throws SchemaRegistryException with status 409 when the schema breaks the subject's
   *     compatibility rule
   */
  int register(String subject, Schema schema);

  /**
   * Returns the id of {@code schema} if it is already registered under {@code subject} ({@code POST
   * /subjects/{subject}}); registers nothing. Used when {@code auto.register.schemas=false}.
   *
   * @throws SchemaRegistryException with error code {@link
   *     SchemaRegistryException#SUBJECT_NOT_FOUND} or {@link
   *     SchemaRegistryException#SCHEMA_NOT_FOUND} when it is not registered
   */
  int lookupId(String subject, Schema schema);

  /**
   * The schema registered with this global id ({@code GET /schemas/ids/{id}}).
   *
   * @throws SchemaRegistryException with error code {@link
   *     SchemaRegistryException#SCHEMA_NOT_FOUND} for an unknown id
   */
  Schema schemaById(int id);

  /**
   * The latest version registered under {@code subject} ({@code GET
   * /subjects/{subject}/versions/latest}). Never cached: the latest version is exactly what may
   * change.
   */
  RegisteredSchema latest(String subject);
}
