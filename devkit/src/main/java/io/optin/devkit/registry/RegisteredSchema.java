package io.optin.devkit.registry;

import java.util.Objects;

/** One version of a subject: the schema text (Avro's normalised JSON) and its registry-wide id. */
record RegisteredSchema(String subject, int version, int id, String schema) {

  RegisteredSchema {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
    if (version < 1 || id < 1) {
      throw new IllegalArgumentException("Version and id start at 1: " + version + ", " + id);
    }
  }
}
