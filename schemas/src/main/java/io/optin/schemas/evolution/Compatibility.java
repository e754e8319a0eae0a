package io.optin.schemas.evolution;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * The one schema compatibility check: Avro's own schema resolution ({@link
 * SchemaCompatibility#checkReaderWriterCompatibility}), the one Confluent Schema Registry applies,
 * for the rule optin's schemas evolve by (BACKWARD: a newer schema must read every record written
 * with an older one) and for every {@link CompatibilityLevel} of a registry.
 *
 * <p>In practice for BACKWARD: new fields need a default, removed enum symbols need an enum
 * default, types may only be promoted (int to long, string to bytes...).
 */
public final class Compatibility {

  private Compatibility() {}

  /**
   * One reason a reader schema cannot read data written with a writer schema.
   *
   * @param type Avro's name of the problem ({@code READER_FIELD_MISSING_DEFAULT_VALUE}...)
   * @param location a JSON pointer into the reader schema ({@code /fields/6/type})
   * @param fieldPath the fields of that location, dotted ({@code evidence.locale}), or empty
   */
  public record Problem(String type, String location, String fieldPath, String message) {

    /** {@code TYPE at field.path (/location): message}. */
    public String describe() {
      return type
          + " at "
          + (fieldPath.isEmpty() ? location : fieldPath + " (" + location + ")")
          + ": "
          + message;
    }
  }

  /**
   * The newest earlier version a candidate may not follow, and why.
   *
   * @param index the version's position in the earlier versions given
   * @param newCannotReadOld why the candidate cannot read that version's data (levels that ask it)
   * @param oldCannotReadNew why that version cannot read the candidate's data (levels that ask it)
   */
  public record Conflict(
      int index, List<Problem> newCannotReadOld, List<Problem> oldCannotReadNew) {}

  /** Why {@code reader} cannot read data written with {@code writer}; empty when it can. */
  public static List<Problem> readProblems(Schema reader, Schema writer) {
    return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
        .getResult()
        .getIncompatibilities()
        .stream()
        .map(incompatibility -> problem(incompatibility, reader))
        .toList();
  }

  /**
   * BACKWARD: why {@code newer} cannot read data written with {@code older}, one line per problem;
   * empty when it can.
   *
   * @param newer the reader schema (the current one)
   * @param older the writer schema (a released one)
   */
  public static List<String> problems(Schema newer, Schema older) {
    return readProblems(newer, older).stream().map(Problem::describe).toList();
  }

  /** True when {@code newer} can read every record written with {@code older}. */
  public static boolean canRead(Schema newer, Schema older) {
    return readProblems(newer, older).isEmpty();
  }

  /**
   * Checks {@code candidate} against {@code earlier} (oldest first) under {@code level}: against
   * the latest version only, or every version for the transitive levels, newest first.
   *
   * @return the newest conflicting version, empty when the candidate may follow
   */
  public static Optional<Conflict> check(
      CompatibilityLevel level, Schema candidate, List<Schema> earlier) {
    if (level == CompatibilityLevel.NONE || earlier.isEmpty()) {
      return Optional.empty();
    }
    int oldest = level.transitive() ? 0 : earlier.size() - 1;
    for (int i = earlier.size() - 1; i >= oldest; i--) {
      Schema old = earlier.get(i);
      List<Problem> newCannotReadOld =
          level.newReadsOld() ? readProblems(candidate, old) : List.of();
      List<Problem> oldCannotReadNew =
          level.oldReadsNew() ? readProblems(old, candidate) : List.of();
      if (!newCannotReadOld.isEmpty() || !oldCannotReadNew.isEmpty()) {
        return Optional.of(new Conflict(i, newCannotReadOld, oldCannotReadNew));
      }
    }
    return Optional.empty();
  }

  private static Problem problem(Incompatibility incompatibility, Schema reader) {
    return new Problem(
        incompatibility.getType().toString(),
        incompatibility.getLocation(),
        fieldPath(reader, incompatibility.getLocation()),
        incompatibility.getMessage());
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
