package io.optin.schemas.evolution;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * BACKWARD compatibility, the rule optin's schemas evolve by: a newer schema must read every record
 * written with an older one.
 *
 * <p>This is Avro's own schema resolution check ({@link
 * SchemaCompatibility#checkReaderWriterCompatibility}), the one Confluent Schema Registry applies
 * for {@code BACKWARD}. In practice: new fields need a default, removed enum symbols need an enum
 * default, types may only be promoted (int to long, string to bytes...).
 */
public final class BackwardCompatibility {

  private BackwardCompatibility() {}

  /**
   * Why {@code newer} cannot read data written with {@code older}, one line per problem; empty when
   * it can.
   *
   * @param newer the reader schema (the current one)
   * @param older the writer schema (a released one)
   */
  public static List<String> problems(Schema newer, Schema older) {
    return SchemaCompatibility.checkReaderWriterCompatibility(newer, older)
        .getResult()
        .getIncompatibilities()
        .stream()
        .map(incompatibility -> describe(incompatibility, newer))
        .toList();
  }

  /** True when {@code newer} can read every record written with {@code older}. */
  public static boolean canRead(Schema newer, Schema older) {
    return problems(newer, older).isEmpty();
  }

  private static String describe(Incompatibility incompatibility, Schema newer) {
    String location = incompatibility.getLocation();
    String fieldPath = fieldPath(newer, location);
    return incompatibility.getType()
        + " at "
        + (fieldPath.isEmpty() ? location : fieldPath + " (" + location + ")")
        + ": "
        + incompatibility.getMessage();
  }

  /**
   * Avro locates problems with a JSON pointer into the reader schema ({@code /fields/6/type}); name
   * the fields.
   */
  private static String fieldPath(Schema reader, String location) {
    List<String> names = new ArrayList<>();
    Schema current = reader;
    String[] steps = location.split("/");
    for (int i = 0; i < steps.length && current != null; i++) {
      String step = steps[i];
      if (step.equals("fields")
          && i + 1 < steps.length
          && current.getType() == Schema.Type.RECORD) {
        int index = Integer.parseInt(steps[++i]);
        if (index >= current.getFields().size()) {
          break;
        }
        Schema.Field field = current.getFields().get(index);
        names.add(field.name());
        current = field.schema();
      } else if (step.matches("\\d+")
          && current.getType() == Schema.Type.UNION
          && Integer.parseInt(step) < current.getTypes().size()) {
        current = current.getTypes().get(Integer.parseInt(step));
      } else if (step.equals("items") && current.getType() == Schema.Type.ARRAY) {
        current = current.getElementType();
      } else if (step.equals("values") && current.getType() == Schema.Type.MAP) {
        current = current.getValueType();
      }
    }
    return String.join(".", names);
  }
}
