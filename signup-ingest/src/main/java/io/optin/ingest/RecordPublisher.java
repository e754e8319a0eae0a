package io.optin.ingest;

import io.optin.schemas.Topic;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;

/**
 * Publishes one record to a topic of the catalogue; the future completes when the broker
 * acknowledged it.
 */
public interface RecordPublisher extends AutoCloseable {

  /**
   * @param key the record key (phone in E.164), or null
   * @return completes normally once written (acks=all), exceptionally when it could not be
   */
  <V extends SpecificRecord> CompletableFuture<Void> publish(Topic<V> topic, String key, V value);

  @Override
  default void close() {}
}
