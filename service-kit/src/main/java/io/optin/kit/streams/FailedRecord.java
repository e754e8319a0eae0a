package io.optin.kit.streams;

import java.util.Objects;

/**
 * A source record a processor refused with an {@link UnprocessableRecordException}, with what a
 * dead letter keeps of it: where it was read, its bytes exactly as read, and why.
 *
 * @param applicationId the Streams application that refused it
 * @param rawKey the source record's key bytes, or null
 * @param rawValue the source record's value bytes, or null
 * @param processorNodeId the processor that threw
 * @param field the offending field, or null
 */
public record FailedRecord(
    String applicationId,
    String topic,
    int partition,
    long offset,
    long timestamp,
    byte[] rawKey,
    byte[] rawValue,
    String processorNodeId,
    String reason,
    String field) {

  public FailedRecord {
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(reason, "reason");
  }
}
