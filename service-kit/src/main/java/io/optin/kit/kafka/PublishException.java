package io.optin.kit.kafka;

/** A record could not be written to Kafka in time; nothing can be promised to the caller. */
public final class PublishException extends Exception {

  private static final long serialVersionUID = 1L;

  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
