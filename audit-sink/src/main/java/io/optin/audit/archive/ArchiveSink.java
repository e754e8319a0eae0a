package io.optin.audit.archive;

import java.util.List;
import java.util.Map;

/**
 * A durable copy of the ledger that owns its position: what it has stored says where to resume, so
 * a restart neither repeats nor skips a record (the consumer group's committed offsets are never
 * used).
 */
public interface ArchiveSink extends AutoCloseable {

  /**
   * The next offset to archive per partition; a partition absent here is archived from its
   * beginning.
   */
  Map<Integer, Long> positions();

  /**
   * Stores the records (in offset order per partition) and advances the positions past them,
   * durably, before returning. Records below a partition's position are already stored and are
   * skipped, so a repeated batch is harmless.
   */
  void append(List<ArchivedRecord> batch);

  /** A short name for logs: the directory or the JDBC URL without credentials. */
  String describe();

  @Override
  void close();
}
