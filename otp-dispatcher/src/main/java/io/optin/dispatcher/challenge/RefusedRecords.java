package io.optin.dispatcher.challenge;

import io.optin.avro.DeadLetter;
import io.optin.avro.SignupRejected;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Turns an input record the dispatcher cannot use into a record that keeps it: its raw bytes, where
 * it was read and why it was refused, so nothing is dropped silently and the stream goes on with
 * the next record.
 */
public final class RefusedRecords {

  private final String application;
  private final Supplier<String> ids;

  public RefusedRecords(String application, Supplier<String> ids) {
    this.application = application;
    this.ids = ids;
  }

  /** A refused signup, for {@code optin.signup-rejects.v1}. */
  SignupRejected signupRejected(
      byte[] rawKey,
      byte[] rawValue,
      Optional<RecordMetadata> source,
      String reason,
      String field,
      Instant at) {
    return SignupRejected.newBuilder()
        .setRejectId(ids.get())
        .setReason(reason)
        .setField(field)
        .setRawValue(wrap(rawValue))
        .setRawKey(wrap(rawKey))
        .setSourceTopic(source.map(RecordMetadata::topic).orElse(null))
        .setSourcePartition(source.map(RecordMetadata::partition).orElse(null))
        .setSourceOffset(source.map(RecordMetadata::offset).orElse(null))
        .setRejectedAt(at)
        .build();
  }

  /** Any other unreadable input, for {@code optin.dead-letters.v1}. */
  public DeadLetter deadLetter(
      byte[] rawKey,
      byte[] rawValue,
      Optional<RecordMetadata> source,
      String reason,
      String field,
      Instant at) {
    return DeadLetter.newBuilder()
        .setDeadLetterId(ids.get())
        .setApplication(application)
        .setReason(reason)
        .setField(field)
        .setSourceTopic(source.map(RecordMetadata::topic).orElse(null))
        .setSourcePartition(source.map(RecordMetadata::partition).orElse(null))
        .setSourceOffset(source.map(RecordMetadata::offset).orElse(null))
        .setRawKey(wrap(rawKey))
        .setRawValue(wrap(rawValue))
        .setFailedAt(at)
        .build();
  }

  private static ByteBuffer wrap(byte[] bytes) {
    return bytes == null ? null : ByteBuffer.wrap(bytes);
  }
}
