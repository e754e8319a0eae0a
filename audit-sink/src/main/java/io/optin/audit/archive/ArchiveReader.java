package io.optin.audit.archive;

import java.util.stream.Stream;

/** Reads an archive back as the ledger it copied, in partition then offset order. */
public interface ArchiveReader {

  /**
   * The archived records, lazily; close the stream. A record or file that does not hold what was
   * written stops the stream with an {@link ArchiveIntegrityException} naming it.
   */
  Stream<ArchivedRecord> records();

  /** What is read, for the report: the directory, or the JDBC URL without credentials. */
  String describe();
}
