package io.optin.devkit.registry;

import static io.optin.devkit.registry.TestSchemas.SIGNUP_V1;
import static io.optin.devkit.registry.TestSchemas.SIGNUP_V2_WITH_LOCALE;
import static io.optin.devkit.registry.TestSchemas.SIGNUP_V2_WITH_REQUIRED_PROGRAM;
import static org.assertj.core.api.Assertions.assertThat;

import io.optin.schemas.evolution.CompatibilityLevel;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The registry's compatibility answers, in Confluent's words. */
class CompatibilityMessagesTest {

  @Test
  void shouldNameTheProblemTheIncompatibleVersionAndTheLevel() {
    // Given versions 1 and 2 (compatible with each other)
    List<RegisteredSchema> earlier =
        List.of(version(1, SIGNUP_V1), version(2, SIGNUP_V2_WITH_LOCALE));

    // When a version adding a required field is checked FULL
    List<String> messages =
        CompatibilityMessages.check(
            CompatibilityLevel.FULL, parse(SIGNUP_V2_WITH_REQUIRED_PROGRAM), earlier);

    // Then the messages say the new schema cannot read version 2's data, and name version 2
    assertThat(messages)
        .containsExactly(
            "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The new schema cannot"
                + " read data written with the old schema at path '/fields/1': programId',"
                + " additionalInfo:'programId'}",
            "{oldSchemaVersion: 2}",
            "{oldSchema: '" + parse(SIGNUP_V2_WITH_LOCALE) + "'}",
            "{compatibility: 'FULL'}");
  }

  @Test
  void shouldSayNothingForACompatibleSchema() {
    assertThat(
            CompatibilityMessages.check(
                CompatibilityLevel.FULL_TRANSITIVE,
                parse(SIGNUP_V2_WITH_LOCALE),
                List.of(version(1, SIGNUP_V1))))
        .isEmpty();
  }

  private static RegisteredSchema version(int version, String schema) {
    return new RegisteredSchema("s", version, version, parse(schema).toString());
  }

  private static Schema parse(String schema) {
    return new Schema.Parser().parse(schema);
  }
}
