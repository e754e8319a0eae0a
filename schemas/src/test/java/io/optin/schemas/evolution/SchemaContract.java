package io.optin.schemas.evolution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The house rules of optin's schemas, as checks that list every violation of one schema (and its
 * nested types).
 */
final class SchemaContract {

  private SchemaContract() {}

  /** Fields with no or an empty {@code doc}, as {@code Record.field}. */
  static List<String> undocumentedFields(Schema schema) {
    List<String> missing = new ArrayList<>();
    for (Schema record : namedTypes(schema).values()) {
      if (record.getType() != Schema.Type.RECORD) {
        continue;
      }
      for (Schema.Field field : record.getFields()) {
        if (field.doc() == null || field.doc().isBlank()) {
          missing.add(record.getName() + "." + field.name());
        }
      }
    }
    return missing;
  }

  /** Enums without a default symbol, which could never drop a symbol without breaking readers. */
  static List<String> enumsWithoutDefault(Schema schema) {
    return namedTypes(schema).values().stream()
        .filter(type -> type.getType() == Schema.Type.ENUM && type.getEnumDefault() == null)
        .map(Schema::getName)
        .toList();
  }

  /** Fields named {@code *At} that are not (optional) {@code timestamp-millis}. */
  static List<String> instantsNotInMillis(Schema schema) {
    List<String> wrong = new ArrayList<>();
    for (Schema record : namedTypes(schema).values()) {
      if (record.getType() != Schema.Type.RECORD) {
        continue;
      }
      for (Schema.Field field : record.getFields()) {
        if (field.name().endsWith("At") && !isTimestampMillis(field.schema())) {
          wrong.add(record.getName() + "." + field.name());
        }
      }
    }
    return wrong;
  }

  private static boolean isTimestampMillis(Schema type) {
    if (type.getType() == Schema.Type.UNION) {
      List<Schema> nonNull =
          type.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
      return nonNull.size() == 1 && isTimestampMillis(nonNull.get(0));
    }
    return type.getLogicalType() instanceof LogicalTypes.TimestampMillis;
  }

  /** Every record, enum and fixed reachable from {@code schema}, by full name. */
  static Map<String, Schema> namedTypes(Schema schema) {
    Map<String, Schema> found = new LinkedHashMap<>();
    collect(schema, found);
    return found;
  }

  private static void collect(Schema schema, Map<String, Schema> found) {
    switch (schema.getType()) {
      case RECORD -> {
        if (found.putIfAbsent(schema.getFullName(), schema) == null) {
          schema.getFields().forEach(field -> collect(field.schema(), found));
        }
      }
      case ENUM, FIXED -> found.putIfAbsent(schema.getFullName(), schema);
      case UNION -> schema.getTypes().forEach(type -> collect(type, found));
      case ARRAY -> collect(schema.getElementType(), found);
      case MAP -> collect(schema.getValueType(), found);
      default -> {}
    }
  }
}
