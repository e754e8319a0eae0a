package io.optin.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.schemas.GeneratedRecords;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The house rules every schema of the contract follows, checked on every generated record. */
class SchemaContractTest {

  private static final List<Schema> CURRENT =
      GeneratedRecords.recordClasses().stream().map(GeneratedRecords::schemaOf).toList();

  @Test
  void shouldDocumentEveryField() {
    // Given every current schema, Then every field of it and of its nested records says what it
    // holds
    assertThat(CURRENT)
        .flatMap(SchemaContract::undocumentedFields)
        .as("fields without a doc")
        .isEmpty();
  }

  @Test
  void shouldGiveEveryEnumADefaultSymbol() {
    // Given every current schema, Then every enum can fall back to a default when a symbol is
    // unknown or dropped
    assertThat(CURRENT)
        .flatMap(SchemaContract::enumsWithoutDefault)
        .as("enums without a default symbol")
        .isEmpty();
  }

  @Test
  void shouldTypeEveryInstantFieldAsTimestampMillis() {
    // Given every current schema, Then every *At field is a timestamp-millis (nullable or not)
    assertThat(CURRENT)
        .flatMap(SchemaContract::instantsNotInMillis)
        .as("*At fields that are not timestamp-millis")
        .isEmpty();
  }

  @Test
  void shouldHaveAReleasedSchemaForEveryRecordOfTheTopicCatalogue() {
    // Given the records that optin's topics carry and the released schema files
    Set<String> released =
        GeneratedRecords.releasedSchemas().keySet().stream()
            .map(GeneratedRecords::recordNameOf)
            .collect(Collectors.toSet());
    List<Class<? extends SpecificRecord>> topicRecords =
        Topics.all().stream().<Class<? extends SpecificRecord>>map(Topic::valueType).toList();

    // Then each has a released version, so the build checks its evolution
    assertThat(topicRecords)
        .isNotEmpty()
        .allSatisfy(
            type ->
                assertThat(released)
                    .as("released/%s.avsc", type.getSimpleName())
                    .contains(type.getSimpleName()));
  }

  @Test
  void shouldReportEveryViolationOfAHandMadeBadSchema() {
    // Given a schema breaking each rule once, inside a nested record too
    Schema bad =
        new Schema.Parser()
            .parse(
                """
        {"type": "record", "name": "Bad", "namespace": "io.optin.test", "fields": [
          {"name": "sentAt", "type": "long", "doc": "A plain long, not an instant."},
          {"name": "state", "type": {"type": "enum", "name": "State", "symbols": ["A", "B"]}, "doc": "State."},
          {"name": "inner", "doc": "Nested.", "type": {"type": "record", "name": "Inner", "fields": [
            {"name": "note", "type": ["null", "string"], "default": null},
            {"name": "seenAt", "type": ["null", {"type": "long", "logicalType": "timestamp-micros"}],
             "default": null, "doc": "Micros, not millis."}]}}
        ]}""");

    // Then the checks name every offending field and enum
    assertThat(SchemaContract.undocumentedFields(bad)).containsExactly("Inner.note");
    assertThat(SchemaContract.enumsWithoutDefault(bad)).containsExactly("State");
    assertThat(SchemaContract.instantsNotInMillis(bad))
        .containsExactly("Bad.sentAt", "Inner.seenAt");
  }
}
