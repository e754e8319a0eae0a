package io.optin.kit.kafka;

import io.optin.schemas.Topic;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;

/**
 * Publishes one record to a topic of the catalogue; a record counts as published only once the
 * broker acknowledged it ({@code acks=all}).
 */
public interface RecordPublisher extends AutoCloseable {

  /**
   * Sends without waiting, for a caller that has already answered (a record of a refusal).
   *
   * @param key the record key (phone in E.164, or {@code programId:phone}), or null
   * @param timestamp the record's event time (its Kafka timestamp), or null for the send time
   * @return completes normally once written, exceptionally when it could not be
   */
  <V extends SpecificRecord> CompletableFuture<Void> send(
      Topic<V> topic, String key, V value, Instant timestamp);

  /**
   * Sends and returns only once the record is written, for a caller that answers 2xx only for a
   * stored record.
   *
   * @param timestamp the record's event time (its Kafka timestamp), or null for the send time
   * @throws PublishException when the record could not be written within the publisher's ack
   *     timeout; it may still be written later
   */
  <V extends SpecificRecord> void publish(Topic<V> topic, String key, V value, Instant timestamp)
      throws PublishException;

  @Override
  default void close() {}
}
