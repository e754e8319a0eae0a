package io.optin.audit.archive;

/**
 * When an open segment is closed: after {@code maxRecords} records or {@code maxBytes} bytes,
 * whichever first.
 */
public record SegmentRotation(long maxRecords, long maxBytes) {

  /** 100,000 records or 64 MiB. */
  public static final SegmentRotation DEFAULT = new SegmentRotation(100_000, 64L * 1024 * 1024);

  public SegmentRotation {
    if (maxRecords < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("a segment holds at least one record and one byte");
    }
  }
}
