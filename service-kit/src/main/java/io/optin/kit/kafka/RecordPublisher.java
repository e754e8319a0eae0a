package io.optin.kit.kafka;

import io.optin.schemas.Topic;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;

/** Publishes one record and returns only once it is durably written, or throws. */
public interface RecordPublisher {

  /**
   * @param timestamp the record's event time (its Kafka timestamp)
   * @throws PublishException when the record could not be written in time; the caller answers 503
   */
  <V extends SpecificRecord> void publish(Topic<V> topic, String key, V value, Instant timestamp)
      throws PublishException;
}
