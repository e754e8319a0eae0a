package io.optin.audit.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * The readable JSON of a ledger record, field by field as the schema names them: nulls as null,
 * enums by symbol, timestamps as ISO-8601, bytes as base64. It is the copy people query; the value
 * bytes stay the authoritative one.
 */
public final class RecordJson {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private RecordJson() {}

  /** The record as a JSON object. */
  public static ObjectNode of(IndexedRecord record) {
    ObjectNode node = NODES.objectNode();
    for (Schema.Field field : record.getSchema().getFields()) {
      node.set(field.name(), value(record.get(field.pos())));
    }
    return node;
  }

  /** The record as compact JSON text. */
  public static String text(IndexedRecord record) {
    try {
      return MAPPER.writeValueAsString(of(record));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render a record as JSON", e);
    }
  }

  /**
   * Whether a JSON tree parsed from text (a segment line, a jsonb column) holds exactly the
   * record's fields and values, whatever its key order and spacing.
   */
  public static boolean matches(IndexedRecord record, JsonNode parsed) {
    try {
      // Rendered number nodes are longs where parsed ones are ints: compare both as parsed from
      // text.
      return MAPPER.readTree(MAPPER.writeValueAsString(of(record))).equals(parsed);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render a record as JSON", e);
    }
  }

  private static JsonNode value(Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof IndexedRecord nested) {
      return of(nested);
    }
    if (value instanceof CharSequence text) {
      return NODES.textNode(text.toString());
    }
    if (value instanceof Instant instant) {
      return NODES.textNode(instant.toString());
    }
    if (value instanceof Integer number) {
      return NODES.numberNode(number);
    }
    if (value instanceof Long number) {
      return NODES.numberNode(number);
    }
    if (value instanceof Float || value instanceof Double) {
      return NODES.numberNode(((Number) value).doubleValue());
    }
    if (value instanceof Boolean flag) {
      return NODES.booleanNode(flag);
    }
    if (value instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
    }
    if (value instanceof GenericFixed fixed) {
      return NODES.textNode(Base64.getEncoder().encodeToString(fixed.bytes()));
    }
    if (value instanceof Enum<?> || value instanceof GenericContainer) {
      return NODES.textNode(value.toString());
    }
    if (value instanceof Collection<?> items) {
      ArrayNode array = NODES.arrayNode();
      items.forEach(item -> array.add(value(item)));
      return array;
    }
    if (value instanceof Map<?, ?> entries) {
      ObjectNode map = NODES.objectNode();
      entries.forEach((key, item) -> map.set(String.valueOf(key), value(item)));
      return map;
    }
    return NODES.textNode(value.toString());
  }
}
