package io.optin.devkit.registry;

/**
 * A refused registry request: the HTTP status and Confluent's {@code error_code} and message for
 * it.
 */
final class RegistryException extends RuntimeException {

  private final int status;
  private final int errorCode;

  RegistryException(int status, int errorCode, String message) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  int status() {
    return status;
  }

  int errorCode() {
    return errorCode;
  }
}
