package io.optin.audit.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * What a closed segment holds: its file, partition, first and last offset, record count, size and
 * SHA-256. Once a segment has a manifest nothing is appended to it again.
 *
 * @param file the segment's path relative to the archive directory
 */
public record SegmentManifest(
    String file,
    int partition,
    long firstOffset,
    long lastOffset,
    long count,
    long bytes,
    String sha256,
    Instant closedAt) {

  public SegmentManifest {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(closedAt, "closedAt");
  }

  /** One line of JSON, without newline. */
  public String toJson() {
    ObjectNode node = RecordJson.MAPPER.createObjectNode();
    node.put("file", file);
    node.put("partition", partition);
    node.put("firstOffset", firstOffset);
    node.put("lastOffset", lastOffset);
    node.put("count", count);
    node.put("bytes", bytes);
    node.put("sha256", sha256);
    node.put("closedAt", closedAt.toString());
    try {
      return RecordJson.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * @param where names the manifest in errors
   * @throws ArchiveIntegrityException when the text is not a manifest
   */
  public static SegmentManifest parse(String json, String where) {
    try {
      JsonNode node = RecordJson.MAPPER.readTree(json);
      for (String field :
          new String[] {
            "file", "partition", "firstOffset", "lastOffset", "count", "bytes", "sha256", "closedAt"
          }) {
        if (node == null || !node.hasNonNull(field)) {
          throw new ArchiveIntegrityException(where, "manifest without " + field);
        }
      }
      return new SegmentManifest(
          node.get("file").asText(),
          node.get("partition").asInt(),
          node.get("firstOffset").asLong(),
          node.get("lastOffset").asLong(),
          node.get("count").asLong(),
          node.get("bytes").asLong(),
          node.get("sha256").asText(),
          Instant.parse(node.get("closedAt").asText()));
    } catch (JsonProcessingException | java.time.format.DateTimeParseException e) {
      throw new ArchiveIntegrityException(where, "not a manifest: " + e.getMessage(), e);
    }
  }
}
