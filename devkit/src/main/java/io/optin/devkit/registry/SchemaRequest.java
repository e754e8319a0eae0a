package io.optin.devkit.registry;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.optin.kit.http.JsonFaults;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a register, lookup or compatibility request: one Avro schema without references.
 * Other schema types are refused with 42201 (invalid schema) naming the type, since only Avro is
 * served.
 */
record SchemaRequest(Schema schema) {

  /**
   * A qualified exception class name ({@code java.lang.NumberFormatException}), as Avro's message
   * holds when it wraps another failure: an answer never shows one.
   */
  private static final Pattern EXCEPTION_NAME =
      Pattern.compile("\\b[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+\\.[A-Z]\\w*(Exception|Error)\\b");

  private static final Logger LOG = LoggerFactory.getLogger(SchemaRequest.class);

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
      throw RegistryErrors.invalidSchema(reason(text, e));
    }
  }

  /**
   * Avro's own words for a schema it refuses ({@code Undefined name: "X"}); for text that is not
   * JSON, a plain reason instead of the parser exception Avro wraps, class name included.
   */
  private static String reason(String text, RuntimeException e) {
    Optional<JacksonException> jackson = JsonFaults.jacksonCause(e);
    if (jackson.isPresent()) {
      return "not valid JSON ("
          + JsonFaults.describe(text.getBytes(StandardCharsets.UTF_8), jackson.get())
          + ")";
    }
    String message = e.getMessage();
    if (e instanceof AvroRuntimeException
        && message != null
        && !EXCEPTION_NAME.matcher(message).find()) {
      return message;
    }
    LOG.debug("Schema refused by an unexpected failure", e);
    return "not a valid Avro schema";
  }
}
