package io.optin.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.schemas.GeneratedRecords;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The build's schema evolution gate: every current schema reads every released version of itself
 * (BACKWARD).
 *
 * <p>{@code src/test/resources/released/<Record>.avsc} is the schema of {@code <Record>} as
 * released (v1: {@code X.getClassSchema().toString(true)} at release time). When a release changes
 * a schema, add its new full schema as {@code <Record>.v2.avsc} (and so on) next to the older ones,
 * never edit or delete a released file: every released version is checked, which is Confluent's
 * BACKWARD_TRANSITIVE.
 */
class ReleasedSchemasAreBackwardCompatibleTest {

  static List<String> releasedFiles() {
    return List.copyOf(GeneratedRecords.releasedSchemas().keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("releasedFiles")
  void shouldReadDataWrittenWithTheReleasedSchemaUsingTheCurrentOne(String releasedFile) {
    // Given the released schema and the schema the code is built from now
    Schema released = GeneratedRecords.releasedSchemas().get(releasedFile);
    Optional<Schema> current = currentSchema(GeneratedRecords.recordNameOf(releasedFile));
    assertThat(current).as("current class of %s", releasedFile).isPresent();

    // When the current schema is resolved against the released one as writer
    List<String> problems = Compatibility.problems(current.orElseThrow(), released);

    // Then nothing written with the released schema becomes unreadable
    assertThat(problems)
        .as(
            "%s is no longer BACKWARD compatible with released %s: give new fields a default, keep enum"
                + " defaults, only promote types",
            current.orElseThrow().getFullName(), releasedFile)
        .isEmpty();
  }

  @Test
  void shouldKeepAGeneratedClassForEveryReleasedSchema() {
    // Given the names of every released record and of every record the build generates
    List<String> releasedNames =
        releasedFiles().stream().map(GeneratedRecords::recordNameOf).distinct().toList();
    List<String> generatedNames =
        GeneratedRecords.recordClasses().stream().map(Class::getSimpleName).toList();

    // Then no released record type disappeared or was renamed (its consumers would lose it)
    assertThat(generatedNames)
        .as(
            "a released schema has no current class: removing or renaming a record breaks its consumers")
        .containsAll(releasedNames);
  }

  @Test
  void shouldHaveReleasedEveryGeneratedRecord() {
    // Given the records with at least one released version
    Map<String, Long> releasedNames =
        releasedFiles().stream()
            .collect(Collectors.groupingBy(GeneratedRecords::recordNameOf, Collectors.counting()));

    // Then every generated record has one, so its evolution is checked from its first version on
    assertThat(GeneratedRecords.recordClasses())
        .extracting(Class::getSimpleName)
        .as(
            "copy X.getClassSchema().toString(true) of a new record into src/test/resources/released/X.avsc")
        .allSatisfy(name -> assertThat(releasedNames).containsKey(name));
  }

  private static Optional<Schema> currentSchema(String recordName) {
    return GeneratedRecords.recordClasses().stream()
        .filter(type -> type.getSimpleName().equals(recordName))
        .findFirst()
        .map(ReleasedSchemasAreBackwardCompatibleTest::schemaOf);
  }

  private static Schema schemaOf(Class<? extends SpecificRecord> type) {
    return GeneratedRecords.schemaOf(type);
  }
}
