package io.optin.audit.archive;

/**
 * The archive's store (files or database) could not be read or written; the archiver retries after
 * it.
 */
public final class ArchiveStoreException extends RuntimeException {

  public ArchiveStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
