package io.optin.ingest;

import io.optin.schemas.Topic;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;

/**
 * A publisher that keeps what it was given, or fails every publish while {@link #failing} is set.
 */
final class CapturingPublisher implements RecordPublisher {

  record Published(Topic<?> topic, String key, SpecificRecord value) {}

  private final List<Published> published = new CopyOnWriteArrayList<>();
  volatile boolean failing;

  @Override
  public <V extends SpecificRecord> CompletableFuture<Void> publish(
      Topic<V> topic, String key, V value) {
    if (failing) {
      return CompletableFuture.failedFuture(new IllegalStateException("broker unavailable (test)"));
    }
    published.add(new Published(topic, key, value));
    return CompletableFuture.completedFuture(null);
  }

  /** Records published to one topic, in order. */
  @SuppressWarnings("unchecked")
  <V extends SpecificRecord> List<V> on(Topic<V> topic) {
    return published.stream().filter(p -> p.topic().equals(topic)).map(p -> (V) p.value()).toList();
  }

  List<String> keysOn(Topic<?> topic) {
    return published.stream().filter(p -> p.topic().equals(topic)).map(Published::key).toList();
  }
}
