package io.optin.audit;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Where an input record sits in Kafka. Event ids are derived from it, so reprocessing the same
 * record after a crash yields the same ids and the ledger can drop the repeats.
 */
public record RecordOrigin(String topic, int partition, long offset) {

  /**
   * A name-based UUID of this position and the step derived from it (one record may give several
   * steps).
   */
  public String eventId(String step) {
    return UUID.nameUUIDFromBytes(
            (topic + "/" + partition + "/" + offset + "/" + step).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
