package io.optin.audit;

import io.optin.avro.DeadLetter;
import io.optin.kit.streams.DeadLetterWriter;
import io.optin.kit.streams.FailedRecord;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The audit's dead letters: one typed {@link DeadLetter} on {@code optin.dead-letters.v1} per
 * record it cannot turn into consent steps, keyed by the record's raw key, with an id derived from
 * the record's position (a replay yields the same id). Both the topology's own refusals and the
 * records {@link io.optin.kit.streams.RecordFailures} dead-letters are built here.
 */
final class AuditDeadLetters implements DeadLetterWriter {

  private final Serializer<DeadLetter> serializer;
  private final Clock clock;

  AuditDeadLetters(AvroSerdes serdes, Clock clock) {
    this.serializer = serdes.forTopic(Topics.DEAD_LETTERS).serializer();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The writer the audit's {@link io.optin.kit.streams.StreamsService} runs with. */
  static DeadLetterWriter of(AvroSerdes serdes) {
    return new AuditDeadLetters(serdes, Clock.systemUTC());
  }

  @Override
  public ProducerRecord<byte[], byte[]> deadLetter(FailedRecord failed) {
    DeadLetter letter =
        letter(
            failed.applicationId(),
            new RecordOrigin(failed.topic(), failed.partition(), failed.offset()),
            failed.reason(),
            failed.field(),
            failed.rawKey(),
            failed.rawValue(),
            clock.instant());
    String topic = Topics.DEAD_LETTERS.name();
    return new ProducerRecord<>(
        topic, null, failed.timestamp(), failed.rawKey(), serializer.serialize(topic, letter));
  }

  /** A dead letter of the record read at {@code origin}. */
  static DeadLetter letter(
      String applicationId,
      RecordOrigin origin,
      String reason,
      String field,
      byte[] rawKey,
      byte[] rawValue,
      Instant failedAt) {
    return DeadLetter.newBuilder()
        .setDeadLetterId(origin.eventId("dead-letter"))
        .setApplication(applicationId)
        .setReason(reason)
        .setField(field)
        .setSourceTopic(origin.topic())
        .setSourcePartition(origin.partition())
        .setSourceOffset(origin.offset())
        .setRawKey(rawKey == null ? null : ByteBuffer.wrap(rawKey))
        .setRawValue(rawValue == null ? null : ByteBuffer.wrap(rawValue))
        .setFailedAt(failedAt)
        .build();
  }
}
