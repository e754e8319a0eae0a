package io.optin.audit.archive;

import io.optin.audit.crypto.CheckpointPublicKey;
import io.optin.audit.ledger.ChainBreak;
import io.optin.audit.ledger.LedgerVerdict;
import io.optin.audit.ledger.LedgerVerifier;
import io.optin.avro.LedgerCheckpoint;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Verifies an archive as a ledger: its own integrity (manifests, JSON against value bytes, columns
 * against records) and then every record through the {@link LedgerVerifier}: hashes, both chains
 * and the signed checkpoints. Stops at the first break, naming the record.
 */
public final class ArchiveVerification {

  private ArchiveVerification() {}

  /**
   * Verifies a segment archive directory.
   *
   * @param latestCheckpoints the latest checkpoint per partition (from {@code
   *     optin.consent-checkpoints.v1}); without them a cut tail goes unnoticed
   */
  public static ArchiveVerdict files(
      Path directory,
      CheckpointPublicKey publicKey,
      Collection<LedgerCheckpoint> latestCheckpoints) {
    return verify(new SegmentFileReader(directory), publicKey, latestCheckpoints);
  }

  /** Verifies the PostgreSQL archive; see {@link #files}. */
  public static ArchiveVerdict jdbc(
      JdbcTarget target,
      CheckpointPublicKey publicKey,
      Collection<LedgerCheckpoint> latestCheckpoints) {
    return verify(new PostgresArchiveReader(target), publicKey, latestCheckpoints);
  }

  /** Verifies whatever the reader reads. */
  public static ArchiveVerdict verify(
      ArchiveReader reader,
      CheckpointPublicKey publicKey,
      Collection<LedgerCheckpoint> latestCheckpoints) {
    LedgerVerifier verifier = new LedgerVerifier(publicKey, latestCheckpoints);
    try (Stream<ArchivedRecord> records = reader.records()) {
      Iterator<ArchivedRecord> iterator = records.iterator();
      while (iterator.hasNext()) {
        if (!verifier.accept(iterator.next().toLedgerEntry())) {
          break;
        }
      }
    } catch (ArchiveIntegrityException e) {
      return new ArchiveVerdict(
          reader.describe(),
          new ChainBreak(e.partition(), e.offset(), e.eventId(), e.where() + ": " + e.reason()));
    }
    return new ArchiveVerdict(reader.describe(), verifier.finish());
  }

  /**
   * What was verified and the outcome.
   *
   * @param archive the archive read, e.g. {@code segment files in /var/lib/optin/archive}
   */
  public record ArchiveVerdict(String archive, LedgerVerdict ledger) {

    public boolean passed() {
      return ledger.passed();
    }

    /** One line: what was checked, or where and why the archive breaks. */
    public String describe() {
      return archive + ": " + ledger.describe();
    }
  }
}
