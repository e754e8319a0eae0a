package io.optin.audit.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optin.avro.ConsentAuditRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.function.IntFunction;
import org.apache.avro.Schema;

/**
 * One line of a segment file: {@code
 * {"partition","offset","key","timestamp","schemaId","record","value"}} where {@code record} is the
 * readable JSON and {@code value} the exact value bytes in base64, ending with a newline.
 */
public final class ArchiveLine {

  private ArchiveLine() {}

  /** The line's bytes, newline included. */
  public static byte[] encode(ArchivedRecord archived) {
    ObjectNode line = RecordJson.MAPPER.createObjectNode();
    line.put("partition", archived.partition());
    line.put("offset", archived.offset());
    line.put("key", archived.key());
    line.put("timestamp", archived.timestamp().toString());
    line.put("schemaId", archived.schemaId());
    line.set("record", RecordJson.of(archived.record()));
    line.put("value", Base64.getEncoder().encodeToString(archived.value()));
    try {
      return (RecordJson.MAPPER.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render an archive line", e);
    }
  }

  /**
   * The record on a line (without its newline), decoded from its value bytes with the writer schema
   * the archive keeps, after checking that the readable JSON says the same.
   *
   * @param where names the line in errors, e.g. {@code partition-0/segment-...jsonl line 12}
   * @throws ArchiveIntegrityException when the line is not a whole archive line or its parts
   *     disagree
   */
  public static ArchivedRecord decode(
      String text, IntFunction<Schema> writerSchemas, String where) {
    JsonNode line;
    try {
      line = RecordJson.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ArchiveIntegrityException(where, "not a JSON line: " + e.getOriginalMessage(), e);
    }
    if (line == null
        || !line.isObject()
        || !line.path("record").isObject()
        || !line.path("value").isTextual()
        || !line.path("offset").canConvertToLong()
        || !line.path("partition").canConvertToInt()) {
      throw new ArchiveIntegrityException(
          where, "not an archive line (partition, offset, record, value)");
    }
    int partition = line.get("partition").intValue();
    long offset = line.get("offset").longValue();
    String eventId = line.path("record").path("eventId").asText(null);
    try {
      byte[] value = Base64.getDecoder().decode(line.get("value").textValue());
      int schemaId = LedgerValues.schemaId(value);
      Schema writer = writerSchemas.apply(schemaId);
      if (writer == null) {
        throw new ArchiveIntegrityException(
            partition,
            offset,
            eventId,
            where,
            "the archive keeps no writer schema with id " + schemaId,
            null);
      }
      ConsentAuditRecord record = LedgerValues.decode(value, writer);
      if (!RecordJson.matches(record, line.get("record"))) {
        throw new ArchiveIntegrityException(
            partition,
            offset,
            eventId,
            where,
            "the record's JSON does not match its value bytes",
            null);
      }
      String key = line.path("key").isNull() ? null : line.path("key").asText();
      return new ArchivedRecord(
          partition,
          offset,
          key,
          Instant.parse(line.path("timestamp").asText()),
          value,
          writer,
          record);
    } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
      throw new ArchiveIntegrityException(partition, offset, eventId, where, e.getMessage(), e);
    }
  }
}
