package io.optin.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.schemas.evolution.Compatibility.Conflict;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Compatibility#check} under each registry level: direction, and how far back it looks. */
class CompatibilityLevelsTest {

  private static final Schema V1 =
      parse(
          """
          {"type":"record","name":"Signup","namespace":"io.optin.test",
           "fields":[{"name":"phone","type":"string"}]}""");
  private static final Schema WITH_LOCALE =
      parse(
          """
          {"type":"record","name":"Signup","namespace":"io.optin.test",
           "fields":[{"name":"phone","type":"string"},{"name":"locale","type":"string","default":"en"}]}""");
  private static final Schema WITH_REQUIRED_PROGRAM =
      parse(
          """
          {"type":"record","name":"Signup","namespace":"io.optin.test",
           "fields":[{"name":"phone","type":"string"},{"name":"programId","type":"string"}]}""");

  /**
   * Drops the phone, which has no default: old readers cannot read new data, new readers can read
   * old.
   */
  private static final Schema WITHOUT_PHONE =
      parse(
          """
          {"type":"record","name":"Signup","namespace":"io.optin.test","fields":[]}""");

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
    // When a required field is added to version 1, or its required field removed
    Optional<Conflict> adding = Compatibility.check(level, WITH_REQUIRED_PROGRAM, List.of(V1));
    Optional<Conflict> removing = Compatibility.check(level, WITHOUT_PHONE, List.of(V1));

    // Then the verdicts follow the level's direction
    assertThat(adding.isEmpty()).isEqualTo(addRequiredOk);
    assertThat(removing.isEmpty()).isEqualTo(removeRequiredOk);
  }

  @Test
  void shouldSayWhoCannotReadWhomUnderFull() {
    // When a required field is added under FULL
    Conflict conflict =
        Compatibility.check(CompatibilityLevel.FULL, WITH_REQUIRED_PROGRAM, List.of(V1))
            .orElseThrow();

    // Then the new schema cannot read version 1's data (no programId), while version 1 reads the
    // new data (it ignores the extra field)
    assertThat(conflict.index()).isZero();
    assertThat(conflict.newCannotReadOld())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.type()).isEqualTo("READER_FIELD_MISSING_DEFAULT_VALUE");
              assertThat(problem.location()).isEqualTo("/fields/1");
              assertThat(problem.fieldPath()).isEqualTo("programId");
              assertThat(problem.describe())
                  .startsWith("READER_FIELD_MISSING_DEFAULT_VALUE at programId (/fields/1): ");
            });
    assertThat(conflict.oldCannotReadNew()).isEmpty();
  }

  @Test
  void shouldAcceptAFieldWithADefaultUnderFullTransitive() {
    assertThat(Compatibility.check(CompatibilityLevel.FULL_TRANSITIVE, WITH_LOCALE, List.of(V1)))
        .isEmpty();
  }

  @Test
  void shouldCheckOnlyTheLatestVersionUnlessTransitive() {
    // Given v1 (with a phone) and v2 (without), and a v3 without phone: v2 readers can read it, v1
    // cannot
    List<Schema> earlier = List.of(V1, WITHOUT_PHONE);
    Schema candidate =
        parse(
            """
            {"type":"record","name":"Signup","namespace":"io.optin.test",
             "fields":[{"name":"note","type":"string","default":""}]}""");

    // When checked FORWARD (latest only) and FORWARD_TRANSITIVE (all)
    Optional<Conflict> latestOnly =
        Compatibility.check(CompatibilityLevel.FORWARD, candidate, earlier);
    Optional<Conflict> all =
        Compatibility.check(CompatibilityLevel.FORWARD_TRANSITIVE, candidate, earlier);

    // Then only the transitive check finds v1's reader missing a default for the dropped phone
    assertThat(latestOnly).isEmpty();
    assertThat(all.orElseThrow().index()).isZero();
    assertThat(all.orElseThrow().oldCannotReadNew())
        .singleElement()
        .satisfies(problem -> assertThat(problem.fieldPath()).isEqualTo("phone"));
  }

  @Test
  void shouldAcceptAnythingAsTheFirstVersion() {
    assertThat(Compatibility.check(CompatibilityLevel.FULL_TRANSITIVE, V1, List.of())).isEmpty();
  }

  @Test
  void shouldParseLevelsInAnyCaseAndRefuseUnknownOnes() {
    assertThat(CompatibilityLevel.parse(" full_transitive "))
        .contains(CompatibilityLevel.FULL_TRANSITIVE);
    assertThat(CompatibilityLevel.parse("SIDEWAYS")).isEmpty();
    assertThat(CompatibilityLevel.parse(null)).isEmpty();
  }

  private static Schema parse(String schema) {
    return new Schema.Parser().parse(schema);
  }
}
