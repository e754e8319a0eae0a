package io.optin.devkit.registry;

import java.util.List;

/**
 * The errors of Confluent Schema Registry's REST API that this registry answers, with their codes
 * and texts.
 */
final class RegistryErrors {

  static final int SUBJECT_NOT_FOUND = 40401;
  static final int VERSION_NOT_FOUND = 40402;
  static final int SCHEMA_NOT_FOUND = 40403;
  static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
  static final int INVALID_SCHEMA = 42201;
  static final int INVALID_VERSION = 42202;
  static final int INVALID_COMPATIBILITY_LEVEL = 42203;
  static final int STORE_ERROR = 50001;

  private RegistryErrors() {}

  static RegistryException subjectNotFound(String subject) {
    return new RegistryException(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
  }

  static RegistryException versionNotFound(int version) {
    return new RegistryException(404, VERSION_NOT_FOUND, "Version " + version + " not found.");
  }

  static RegistryException schemaNotFound() {
    return new RegistryException(404, SCHEMA_NOT_FOUND, "Schema not found");
  }

  static RegistryException schemaIdNotFound(int id) {
    return new RegistryException(404, SCHEMA_NOT_FOUND, "Schema " + id + " not found");
  }

  static RegistryException subjectCompatibilityNotConfigured(String subject) {
    return new RegistryException(
        404,
        SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
        "Subject '" + subject + "' does not have subject-level compatibility configured");
  }

  static RegistryException invalidSchema(String details) {
    return new RegistryException(422, INVALID_SCHEMA, "Invalid schema: " + details);
  }

  static RegistryException invalidVersion(String version) {
    return new RegistryException(
        422,
        INVALID_VERSION,
        "The specified version '"
            + version
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
  }

  static RegistryException invalidCompatibilityLevel() {
    return new RegistryException(
        422,
        INVALID_COMPATIBILITY_LEVEL,
        "Invalid compatibility level. Valid values"
            + " are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive");
  }

  static RegistryException incompatible(String subject, List<String> details) {
    return new RegistryException(
        409,
        409,
        "Schema being registered is incompatible with an earlier schema"
            + " for subject \""
            + subject
            + "\", details: "
            + details);
  }

  static RegistryException malformedJson(String details) {
    return new RegistryException(400, 400, "Malformed JSON body: " + details);
  }

  static RegistryException unprocessable(String details) {
    return new RegistryException(422, 422, "Unprocessable entity: " + details);
  }

  static RegistryException unsupportedMediaType(String contentType) {
    return new RegistryException(415, 415, "HTTP 415 Unsupported Media Type: " + contentType);
  }

  static RegistryException notFound() {
    return new RegistryException(404, 404, "HTTP 404 Not Found");
  }

  static RegistryException methodNotAllowed() {
    return new RegistryException(405, 405, "HTTP 405 Method Not Allowed");
  }

  /**
   * A body or a schema above what the registry takes: 413 with {@code error_code} 413, in the shape
   * of the other HTTP-level errors (Confluent defines no code for it).
   */
  static RegistryException tooLarge(String details) {
    return new RegistryException(413, 413, "HTTP 413 Payload Too Large: " + details);
  }

  static RegistryException storeFailure(String details) {
    return new RegistryException(500, STORE_ERROR, "Error in the backend data store: " + details);
  }
}
