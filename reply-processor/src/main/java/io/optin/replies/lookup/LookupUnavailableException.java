package io.optin.replies.lookup;

/**
 * A store cannot be queried right now (the streams instance is starting or rebalancing); retry
 * later.
 */
public final class LookupUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public LookupUnavailableException(String message) {
    super(message);
  }

  public LookupUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
