package io.optin.devkit.registry;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Decides with Avro's own schema resolution rules whether a candidate schema may follow earlier
 * versions.
 */
final class CompatibilityChecker {

  private CompatibilityChecker() {}

  /**
   * Checks {@code candidate} against {@code earlier} (oldest first) under {@code level}: against
   * the latest version only, or every version for the transitive levels. Returns Confluent-style
   * messages describing the newest incompatible version; an empty list means compatible.
   */
  static List<String> check(
      CompatibilityLevel level, Schema candidate, List<RegisteredSchema> earlier) {
    if (level == CompatibilityLevel.NONE || earlier.isEmpty()) {
      return List.of();
    }
    int oldest = level.transitive() ? 0 : earlier.size() - 1;
    for (int i = earlier.size() - 1; i >= oldest; i--) {
      RegisteredSchema previous = earlier.get(i);
      Schema old = new Schema.Parser().parse(previous.schema());
      List<String> messages = new ArrayList<>();
      if (level.newReadsOld()) {
        messages.addAll(incompatibilities(candidate, old, "new", "old"));
      }
      if (level.oldReadsNew()) {
        messages.addAll(incompatibilities(old, candidate, "old", "new"));
      }
      if (!messages.isEmpty()) {
        messages.add("{oldSchemaVersion: " + previous.version() + "}");
        messages.add("{oldSchema: '" + previous.schema() + "'}");
        messages.add("{compatibility: '" + level.name() + "'}");
        return messages;
      }
    }
    return List.of();
  }

  private static List<String> incompatibilities(
      Schema reader, Schema writer, String readerRole, String writerRole) {
    List<String> messages = new ArrayList<>();
    for (Incompatibility problem :
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
            .getResult()
            .getIncompatibilities()) {
      messages.add(
          "{errorType:'"
              + problem.getType()
              + "', description:'The "
              + readerRole
              + " schema cannot read data written with the "
              + writerRole
              + " schema at path '"
              + problem.getLocation()
              + "': "
              + problem.getMessage()
              + "', additionalInfo:'"
              + problem.getMessage()
              + "'}");
    }
    return messages;
  }
}
