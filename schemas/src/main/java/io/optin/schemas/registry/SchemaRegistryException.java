package io.optin.schemas.registry;

/**
 * A Schema Registry refused a request or could not be reached; carries the HTTP status and
 * Confluent error code.
 *
 * <p>{@link #httpStatus()} and {@link #errorCode()} are {@link #NO_RESPONSE} when no answer came
 * back at all (connection refused, timeout). Error codes follow Confluent's API: 40401 subject not
 * found, 40403 schema not found, 409 incompatible schema, 42201 invalid schema, 5xxxx server side.
 */
public class SchemaRegistryException extends RuntimeException {

  /** Value of {@link #httpStatus()} and {@link #errorCode()} when the registry gave no answer. */
  public static final int NO_RESPONSE = -1;

  public static final int SUBJECT_NOT_FOUND = 40401;
  public static final int VERSION_NOT_FOUND = 40402;
  public static final int SCHEMA_NOT_FOUND = 40403;
  public static final int INCOMPATIBLE_SCHEMA = 409;
  public static final int INVALID_SCHEMA = 42201;

  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(int httpStatus, int errorCode, String message) {
    this(httpStatus, errorCode, message, null);
  }

  public SchemaRegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** The HTTP status of the registry's answer, or {@link #NO_RESPONSE}. */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * Confluent's {@code error_code} from the answer's JSON body, or {@link #NO_RESPONSE} when it had
   * none.
   */
  public int errorCode() {
    return errorCode;
  }

  /** True when the registry answered that the subject, version, schema or id does not exist. */
  public boolean isNotFound() {
    return httpStatus == 404;
  }

  /** True when the registry never answered (down, refused, timed out). */
  public boolean isUnreachable() {
    return httpStatus == NO_RESPONSE;
  }
}
