package io.optin.devkit.registry;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.Schema;

/**
 * The body of a register, lookup or compatibility request: one Avro schema without references.
 * Other schema types are refused with 42201 (invalid schema) naming the type, since only Avro is
 * served.
 */
record SchemaRequest(Schema schema) {

  static SchemaRequest from(JsonNode body) {
    if (!body.isObject()) {
      throw RegistryErrors.unprocessable("expected a JSON object with a \"schema\" field");
    }
    JsonNode type = body.get("schemaType");
    if (type != null && !type.isNull() && !"AVRO".equals(type.asText())) {
      throw RegistryErrors.invalidSchema(
          "schemaType '"
              + type.asText()
              + "' is not supported: this registry serves AVRO schemas only");
    }
    JsonNode references = body.get("references");
    if (references != null
        && !references.isNull()
        && !(references.isArray() && references.isEmpty())) {
      throw RegistryErrors.invalidSchema("schema references are not supported by this registry");
    }
    JsonNode schema = body.get("schema");
    if (schema == null || schema.isNull() || schema.asText().isBlank()) {
      throw RegistryErrors.invalidSchema("Empty schema");
    }
    if (!schema.isTextual()) {
      throw RegistryErrors.unprocessable("\"schema\" must be a string holding the schema's JSON");
    }
    return new SchemaRequest(parseAvro(schema.asText()));
  }

  /**
   * Parses with Avro's own rules (names and defaults validated); whitespace and key order do not
   * matter.
   */
  static Schema parseAvro(String text) {
    try {
      return new Schema.Parser().parse(text);
    } catch (RuntimeException e) {
      // Avro reports bad JSON, bad names and bad defaults with several unchecked exception types.
      throw RegistryErrors.invalidSchema(String.valueOf(e.getMessage()));
    }
  }
}
