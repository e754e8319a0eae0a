package io.optin.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event as a platform receives it: {@code {"id","type","createdAt","data":{…}}}. The id is
 * derived from the topic, partition and offset of the record it tells about, so every delivery of
 * the same event, retries and redeliveries after a restart alike, carries the same id.
 */
public record WebhookEvent(String id, String type, Instant createdAt, Map<String, Object> data) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public WebhookEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(createdAt, "createdAt");
    data = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
  }

  /**
   * The stable id of the event told by the record at {@code topic}-{@code partition}@{@code
   * offset}.
   */
  public static String idOf(String topic, int partition, long offset) {
    return UUID.nameUUIDFromBytes(
            (topic + "/" + partition + "/" + offset).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** The body POSTed: compact JSON, fields in the documented order, createdAt in ISO-8601 UTC. */
  public byte[] body() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", id);
    json.put("type", type);
    json.put("createdAt", createdAt.toString());
    json.put("data", data);
    try {
      return JSON.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an event of strings and numbers is always JSON", e);
    }
  }
}
