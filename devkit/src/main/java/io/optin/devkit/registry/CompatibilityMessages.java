package io.optin.devkit.registry;

import io.optin.schemas.evolution.Compatibility;
import io.optin.schemas.evolution.Compatibility.Conflict;
import io.optin.schemas.evolution.Compatibility.Problem;
import io.optin.schemas.evolution.CompatibilityLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The registry's answer to a compatibility check, in Confluent's words: the schemas module's {@link
 * Compatibility} decides, this names the newest incompatible version as Confluent does.
 */
final class CompatibilityMessages {

  private CompatibilityMessages() {}

  /**
   * Checks {@code candidate} against {@code earlier} (oldest first) under {@code level}. Returns
   * Confluent-style messages describing the newest incompatible version; an empty list means
   * compatible.
   */
  static List<String> check(
      CompatibilityLevel level, Schema candidate, List<RegisteredSchema> earlier) {
    Optional<Conflict> conflict =
        Compatibility.check(
            level,
            candidate,
            earlier.stream().map(version -> new Schema.Parser().parse(version.schema())).toList());
    if (conflict.isEmpty()) {
      return List.of();
    }
    RegisteredSchema previous = earlier.get(conflict.get().index());
    List<String> messages = new ArrayList<>();
    conflict.get().newCannotReadOld().forEach(p -> messages.add(message(p, "new", "old")));
    conflict.get().oldCannotReadNew().forEach(p -> messages.add(message(p, "old", "new")));
    messages.add("{oldSchemaVersion: " + previous.version() + "}");
    messages.add("{oldSchema: '" + previous.schema() + "'}");
    messages.add("{compatibility: '" + level.name() + "'}");
    return messages;
  }

  private static String message(Problem problem, String readerRole, String writerRole) {
    return "{errorType:'"
        + problem.type()
        + "', description:'The "
        + readerRole
        + " schema cannot read data written with the "
        + writerRole
        + " schema at path '"
        + problem.location()
        + "': "
        + problem.message()
        + "', additionalInfo:'"
        + problem.message()
        + "'}";
  }
}
