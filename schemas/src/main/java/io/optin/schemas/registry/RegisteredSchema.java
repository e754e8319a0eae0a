package io.optin.schemas.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of one subject in a Schema Registry: the subject, the global id, the version and the
 * schema.
 */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {

  public RegisteredSchema {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
  }
}
