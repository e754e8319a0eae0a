package io.optin.webhooks;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Where one endpoint stands in one partition: the next event it must acknowledge, and at most one
 * POST (or, after the last attempt, one dead letter) in flight. Events of a partition reach an
 * endpoint one after the other, so the events of one phone (the partition key) arrive in order.
 * Touched by the consumer thread only.
 */
final class EndpointLane {

  final URI endpoint;

  /** Sequence number, in its partition's queue, of the first event not yet acknowledged. */
  long cursor;

  /** Failed attempts of the event at {@link #cursor}. */
  int failures;

  /** No new attempt before this instant (epoch millis). */
  long notBefore;

  /** The POST in flight, if any. */
  CompletableFuture<Attempt> inFlight;

  /** The dead letter being written after the last attempt, if any. */
  Future<RecordMetadata> deadLettering;

  /** What the last failed attempt got, for the dead letter's reason. */
  String lastFailure;

  EndpointLane(URI endpoint, long cursor) {
    this.endpoint = endpoint;
    this.cursor = cursor;
  }

  boolean busy() {
    return inFlight != null || deadLettering != null;
  }

  void cancel() {
    if (inFlight != null) {
      inFlight.cancel(true);
    }
  }

  /** The outcome of one POST: an HTTP status, or the transport failure (status -1). */
  record Attempt(int status, String failure) {
    boolean acknowledged() {
      return status >= 200 && status < 300;
    }

    String describe() {
      return status >= 0 ? "HTTP " + status : failure;
    }
  }
}
