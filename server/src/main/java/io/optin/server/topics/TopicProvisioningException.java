package io.optin.server.topics;

/** The cluster could not be reached, or refused a request, while topics were being provisioned. */
public final class TopicProvisioningException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TopicProvisioningException(String message) {
    super(message);
  }

  public TopicProvisioningException(String message, Throwable cause) {
    super(message, cause);
  }
}
