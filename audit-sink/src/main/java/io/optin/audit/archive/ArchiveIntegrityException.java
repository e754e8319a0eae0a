package io.optin.audit.archive;

/**
 * An archive that does not hold what was written to it: a line or row that does not decode, a
 * record whose JSON and value bytes disagree, a segment whose SHA-256 differs from its manifest.
 * The message names the place.
 */
public final class ArchiveIntegrityException extends RuntimeException {

  private final int partition;
  private final long offset;
  private final String eventId;
  private final String where;
  private final String reason;

  /**
   * @param partition the partition concerned, -1 when unknown
   * @param offset the offset of the record concerned (the first offset of a segment), -1 when
   *     unknown
   * @param eventId the eventId of the record concerned, or {@code null}
   * @param where the file (and line) or table row concerned
   * @param reason what is wrong with it
   */
  public ArchiveIntegrityException(
      int partition, long offset, String eventId, String where, String reason, Throwable cause) {
    super(describe(partition, offset, eventId, where) + ": " + reason, cause);
    this.partition = partition;
    this.offset = offset;
    this.eventId = eventId;
    this.where = where;
    this.reason = reason;
  }

  /** About a file or place where no record can be named. */
  public ArchiveIntegrityException(String where, String reason) {
    this(-1, -1, null, where, reason, null);
  }

  public ArchiveIntegrityException(String where, String reason, Throwable cause) {
    this(-1, -1, null, where, reason, cause);
  }

  /** About a record of the archive. */
  public static ArchiveIntegrityException at(ArchivedRecord record, String where, String reason) {
    return new ArchiveIntegrityException(
        record.partition(), record.offset(), record.record().getEventId(), where, reason, null);
  }

  public int partition() {
    return partition;
  }

  public long offset() {
    return offset;
  }

  public String eventId() {
    return eventId;
  }

  public String where() {
    return where;
  }

  public String reason() {
    return reason;
  }

  private static String describe(int partition, long offset, String eventId, String where) {
    StringBuilder text = new StringBuilder();
    if (partition >= 0) {
      text.append("partition ").append(partition);
      if (offset >= 0) {
        text.append(" offset ").append(offset);
      }
      if (eventId != null) {
        text.append(" eventId ").append(eventId);
      }
      text.append(" (").append(where).append(')');
    } else {
      text.append(where);
    }
    return text.toString();
  }
}
