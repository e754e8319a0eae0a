package io.optin.audit.archive;

/**
 * When an open segment is closed: after {@code maxRecords} records or {@code maxBytes} bytes,
 * whichever first ({@code audit.archive.segment.max.records} and {@code
 * audit.archive.segment.max.bytes}).
 */
public record SegmentRotation(long maxRecords, long maxBytes) {}
