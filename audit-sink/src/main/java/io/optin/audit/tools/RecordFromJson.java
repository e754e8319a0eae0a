package io.optin.audit.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.optin.schemas.serde.AvroTrust;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * The inverse of {@link io.optin.audit.archive.RecordJson}: a generated record rebuilt field by
 * field from its readable JSON (bytes as base64, timestamps as ISO-8601, enums by symbol), so that
 * a certificate's records can be hashed again without the ledger. A field the schema does not know
 * is refused; a field absent takes its default.
 */
final class RecordFromJson {

  static {
    // Rebuilding instantiates our generated classes through Avro's trust check.
    AvroTrust.install();
  }

  private RecordFromJson() {}

  /** The record of {@code type} that {@code json} describes. */
  static <T extends IndexedRecord> T read(JsonNode json, Class<T> type, Schema schema) {
    return type.cast(record(json, schema, "record"));
  }

  private static IndexedRecord record(JsonNode node, Schema schema, String path) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(path + " is not an object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (schema.getField(name) == null) {
        throw new IllegalArgumentException(
            path + "." + name + " is not a field of " + schema.getName());
      }
    }
    IndexedRecord record = (IndexedRecord) SpecificData.get().newRecord(null, schema);
    for (Schema.Field field : schema.getFields()) {
      JsonNode value = node.get(field.name());
      record.put(
          field.pos(),
          value == null
              ? SpecificData.get().getDefaultValue(field)
              : value(value, field.schema(), path + "." + field.name()));
    }
    return record;
  }

  private static Object value(JsonNode node, Schema schema, String path) {
    switch (schema.getType()) {
      case UNION -> {
        if (node.isNull()
            && schema.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL)) {
          return null;
        }
        List<Schema> branches =
            schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
        if (branches.size() != 1) {
          throw new IllegalArgumentException(path + ": unions of several types are not supported");
        }
        return value(node, branches.get(0), path);
      }
      case NULL -> {
        return require(node.isNull(), null, path, "null");
      }
      case STRING -> {
        return require(node.isTextual(), node.asText(), path, "a string");
      }
      case BOOLEAN -> {
        return require(node.isBoolean(), node.asBoolean(), path, "a boolean");
      }
      case INT -> {
        return require(node.isInt(), node.asInt(), path, "an int");
      }
      case LONG -> {
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
          try {
            return Instant.parse(require(node.isTextual(), node.asText(), path, "an instant"));
          } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(path + " is not an ISO-8601 instant");
          }
        }
        return require(node.isIntegralNumber(), node.asLong(), path, "a long");
      }
      case BYTES -> {
        try {
          return ByteBuffer.wrap(
              Base64.getDecoder().decode(require(node.isTextual(), node.asText(), path, "base64")));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(path + " is not base64");
        }
      }
      case ENUM -> {
        String symbol = require(node.isTextual(), node.asText(), path, "a symbol");
        if (!schema.hasEnumSymbol(symbol)) {
          throw new IllegalArgumentException(path + ": " + symbol + " is not a symbol");
        }
        return SpecificData.get().createEnum(symbol, schema);
      }
      case RECORD -> {
        return record(node, schema, path);
      }
      case MAP -> {
        require(node.isObject(), null, path, "an object");
        Map<String, Object> map = new LinkedHashMap<>();
        node.fields()
            .forEachRemaining(
                e ->
                    map.put(
                        e.getKey(),
                        value(e.getValue(), schema.getValueType(), path + "." + e.getKey())));
        return map;
      }
      case ARRAY -> {
        require(node.isArray(), null, path, "an array");
        List<Object> items = new ArrayList<>();
        node.forEach(item -> items.add(value(item, schema.getElementType(), path + "[]")));
        return items;
      }
      default ->
          throw new IllegalArgumentException(
              path + ": type " + schema.getType() + " is not supported");
    }
  }

  private static <T> T require(boolean ok, T value, String path, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(path + " is not " + expected);
    }
    return value;
  }
}
