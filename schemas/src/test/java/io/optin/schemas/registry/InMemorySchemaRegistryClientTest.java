package io.optin.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.SignupRequested;
import io.optin.avro.SubscriberStatus;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** The in-memory registry numbers, versions and checks schemas the way Confluent's does. */
class InMemorySchemaRegistryClientTest {

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

  @Test
  void shouldGiveTheSameIdToTheSameSchemaUnderTwoSubjects() {
    // When one schema is registered under two subjects and another schema under a third
    int first = registry.register("a-value", SignupRequested.getClassSchema());
    int second = registry.register("b-value", SignupRequested.getClassSchema());
    int other = registry.register("c-value", SubscriberStatus.getClassSchema());

    // Then the id is per schema, not per subject
    assertThat(first).isEqualTo(1).isEqualTo(second);
    assertThat(other).isEqualTo(2);
    assertThat(registry.subjects()).containsExactly("a-value", "b-value", "c-value");
  }

  @Test
  void shouldAddNoVersionWhenTheSameSchemaIsRegisteredAgain() {
    registry.register("a-value", SignupRequested.getClassSchema());
    registry.register("a-value", SignupRequested.getClassSchema());

    assertThat(registry.versionIds("a-value")).containsExactly(1);
    assertThat(registry.latest("a-value"))
        .isEqualTo(new RegisteredSchema("a-value", 1, 1, SignupRequested.getClassSchema()));
  }

  @Test
  void shouldAcceptABackwardCompatibleNextVersion() {
    // Given v1 of a record, and a v2 adding an optional field
    Schema v1 = SchemaBuilder.record("Thing").fields().requiredString("id").endRecord();
    Schema v2 =
        SchemaBuilder.record("Thing")
            .fields()
            .requiredString("id")
            .optionalString("note")
            .endRecord();
    registry.register("thing-value", v1);

    // When v2 is registered, Then it becomes version 2 with a new id
    assertThat(registry.register("thing-value", v2)).isEqualTo(2);
    assertThat(registry.latest("thing-value").version()).isEqualTo(2);
  }

  @Test
  void shouldRefuseAnIncompatibleSchemaWith409() {
    // Given v1, and a next version adding a required field
    Schema v1 = SchemaBuilder.record("Thing").fields().requiredString("id").endRecord();
    Schema breaking =
        SchemaBuilder.record("Thing").fields().requiredString("id").requiredInt("size").endRecord();
    registry.register("thing-value", v1);

    // Then it is refused as Confluent would, and the subject keeps one version
    assertThatThrownBy(() -> registry.register("thing-value", breaking))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
            })
        .hasMessageContaining("incompatible with subject 'thing-value'")
        .hasMessageContaining("size");
    assertThat(registry.versionIds("thing-value")).containsExactly(1);
  }

  @Test
  void shouldAnswerConfluentErrorCodesForWhatDoesNotExist() {
    registry.register("a-value", SignupRequested.getClassSchema());

    assertThatThrownBy(() -> registry.lookupId("missing-value", SignupRequested.getClassSchema()))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
    assertThatThrownBy(() -> registry.lookupId("a-value", SubscriberStatus.getClassSchema()))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    assertThatThrownBy(() -> registry.schemaById(77))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.isNotFound()).isTrue());
    assertThatThrownBy(() -> registry.latest("missing-value"))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
    assertThat(registry.subjects()).containsExactly("a-value");
  }
}
