package io.optin.server;

/** A port optin must listen on is taken by another process. */
public final class PortInUseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PortInUseException(String message) {
    super(message);
  }
}
