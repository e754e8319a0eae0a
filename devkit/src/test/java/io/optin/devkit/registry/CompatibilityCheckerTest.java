package io.optin.devkit.registry;

import static io.optin.devkit.registry.TestSchemas.SIGNUP_V1;
import static io.optin.devkit.registry.TestSchemas.SIGNUP_V2_WITH_LOCALE;
import static io.optin.devkit.registry.TestSchemas.SIGNUP_V2_WITH_REQUIRED_PROGRAM;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompatibilityCheckerTest {

  /**
   * Drops the phone, which has no default: old readers cannot read new data, new readers can read
   * old.
   */
  private static final String WITHOUT_PHONE =
      """
            {"type":"record","name":"Signup","namespace":"io.optin.test","fields":[]}""";

  @ParameterizedTest(
      name = "{0}: adding a required field compatible={1}, removing one compatible={2}")
  @CsvSource({
    "NONE, true, true",
    "BACKWARD, false, true",
    "BACKWARD_TRANSITIVE, false, true",
    "FORWARD, true, false",
    "FORWARD_TRANSITIVE, true, false",
    "FULL, false, false",
    "FULL_TRANSITIVE, false, false"
  })
  void shouldFollowAvroResolutionInTheLevelsDirection(
      CompatibilityLevel level, boolean addRequiredOk, boolean removeRequiredOk) {
    // Given version 1
    List<RegisteredSchema> earlier = List.of(version(1, SIGNUP_V1));

    // When a required field is added, or the required field removed
    List<String> adding =
        CompatibilityChecker.check(level, parse(SIGNUP_V2_WITH_REQUIRED_PROGRAM), earlier);
    List<String> removing = CompatibilityChecker.check(level, parse(WITHOUT_PHONE), earlier);

    // Then the verdicts follow the level's direction
    assertThat(adding.isEmpty()).isEqualTo(addRequiredOk);
    assertThat(removing.isEmpty()).isEqualTo(removeRequiredOk);
  }

  @Test
  void shouldAcceptAFieldWithADefaultUnderFullTransitive() {
    assertThat(
            CompatibilityChecker.check(
                CompatibilityLevel.FULL_TRANSITIVE,
                parse(SIGNUP_V2_WITH_LOCALE),
                List.of(version(1, SIGNUP_V1))))
        .isEmpty();
  }

  @Test
  void shouldCheckOnlyTheLatestVersionUnlessTransitive() {
    // Given v1 (with a phone) and v2 (without), and a v3 without phone: v2 readers can read it, v1
    // cannot
    List<RegisteredSchema> earlier = List.of(version(1, SIGNUP_V1), version(2, WITHOUT_PHONE));
    Schema candidate =
        parse(
            """
                {"type":"record","name":"Signup","namespace":"io.optin.test",
                 "fields":[{"name":"note","type":"string","default":""}]}""");

    // When checked FORWARD (latest only) and FORWARD_TRANSITIVE (all)
    List<String> latestOnly =
        CompatibilityChecker.check(CompatibilityLevel.FORWARD, candidate, earlier);
    List<String> all =
        CompatibilityChecker.check(CompatibilityLevel.FORWARD_TRANSITIVE, candidate, earlier);

    // Then only the transitive check finds v1's reader missing a default for the dropped phone
    assertThat(latestOnly).isEmpty();
    assertThat(all).contains("{oldSchemaVersion: 1}", "{compatibility: 'FORWARD_TRANSITIVE'}");
    assertThat(all.get(0)).contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("phone");
  }

  @Test
  void shouldAcceptAnythingAsTheFirstVersion() {
    assertThat(
            CompatibilityChecker.check(
                CompatibilityLevel.FULL_TRANSITIVE, parse(SIGNUP_V1), List.of()))
        .isEmpty();
  }

  private static RegisteredSchema version(int version, String schema) {
    return new RegisteredSchema("s", version, version, parse(schema).toString());
  }

  private static Schema parse(String schema) {
    return new Schema.Parser().parse(schema);
  }
}
