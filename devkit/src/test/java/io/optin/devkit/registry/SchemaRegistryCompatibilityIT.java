package io.optin.devkit.registry;

import static io.optin.devkit.registry.RegistryHttp.json;
import static io.optin.devkit.registry.RegistryHttp.schemaBody;
import static io.optin.devkit.registry.TestSchemas.SIGNUP_V1;
import static io.optin.devkit.registry.TestSchemas.SIGNUP_V2_WITH_LOCALE;
import static io.optin.devkit.registry.TestSchemas.SIGNUP_V2_WITH_REQUIRED_PROGRAM;
import static org.assertj.core.api.Assertions.assertThat;

import io.optin.devkit.registry.RegistryHttp.Reply;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SchemaRegistryCompatibilityIT {

  @RegisterExtension static final RunningRegistry REGISTRY = new RunningRegistry();

  private static final String SUBJECT = "optin.signup-requests.v1-value";
  private static final String VERSIONS = "/subjects/" + SUBJECT + "/versions";

  /** v1 has {@code f} as a string. */
  private static final String F_STRING = record("{\"name\":\"f\",\"type\":\"string\"}");

  /** v2 drops {@code f}: backward compatible with v1 (the new reader ignores it). */
  private static final String NO_F = record("");

  /**
   * v3 brings {@code f} back as an int with a default: fine after v2, but v1's strings cannot be
   * ints.
   */
  private static final String F_INT = record("{\"name\":\"f\",\"type\":\"int\",\"default\":0}");

  @Test
  void shouldRefuseAnIncompatibleSchemaWith409AndLeaveTheSubjectAsItWas() {
    // Given version 1 under the default BACKWARD level
    RegistryHttp http = REGISTRY.http();
    http.post(VERSIONS, schemaBody(SIGNUP_V1));

    // When a schema adding a field without default is registered
    Reply refused = http.post(VERSIONS, schemaBody(SIGNUP_V2_WITH_REQUIRED_PROGRAM));

    // Then it is refused with Confluent's 409 and the subject still has only version 1
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo(409);
    assertThat(refused.message())
        .startsWith(
            "Schema being registered is incompatible with an earlier schema for subject \""
                + SUBJECT
                + "\", details: ")
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
        .contains("programId")
        .contains("{oldSchemaVersion: 1}")
        .contains("{compatibility: 'BACKWARD'}");
    assertThat(http.get(VERSIONS).json()).isEqualTo(json("[1]"));
    assertThat(http.get("/schemas/ids/2").status()).isEqualTo(404);
  }

  @Test
  void shouldCheckCompatibilityWithoutRegistering() {
    // Given version 1
    RegistryHttp http = REGISTRY.http();
    http.post(VERSIONS, schemaBody(SIGNUP_V1));

    // When candidates are checked against the latest version and against version 1
    Reply incompatible =
        http.post(
            "/compatibility/subjects/" + SUBJECT + "/versions/latest",
            schemaBody(SIGNUP_V2_WITH_REQUIRED_PROGRAM));
    Reply verbose =
        http.post(
            "/compatibility/subjects/" + SUBJECT + "/versions/1?verbose=true",
            schemaBody(SIGNUP_V2_WITH_REQUIRED_PROGRAM));
    Reply compatible =
        http.post(
            "/compatibility/subjects/" + SUBJECT + "/versions/latest",
            schemaBody(SIGNUP_V2_WITH_LOCALE));
    Reply againstAll =
        http.post(
            "/compatibility/subjects/" + SUBJECT + "/versions", schemaBody(SIGNUP_V2_WITH_LOCALE));

    // Then the verdicts come back, with messages only when verbose, and nothing was registered
    assertThat(incompatible.json()).isEqualTo(json("{\"is_compatible\":false}"));
    assertThat(verbose.json().get("is_compatible").asBoolean()).isFalse();
    assertThat(verbose.json().get("messages").toString())
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThat(compatible.json()).isEqualTo(json("{\"is_compatible\":true}"));
    assertThat(againstAll.json()).isEqualTo(json("{\"is_compatible\":true}"));
    assertThat(http.get(VERSIONS).json()).isEqualTo(json("[1]"));
  }

  @Test
  void shouldAnswer40401And40402WhenCheckingAgainstAVersionThatDoesNotExist() {
    // Given version 1
    RegistryHttp http = REGISTRY.http();
    http.post(VERSIONS, schemaBody(SIGNUP_V1));

    // When checked against an unknown subject, an unknown version and an invalid version
    Reply noSubject =
        http.post("/compatibility/subjects/nobody-value/versions/latest", schemaBody(SIGNUP_V1));
    Reply noVersion =
        http.post("/compatibility/subjects/" + SUBJECT + "/versions/5", schemaBody(SIGNUP_V1));
    Reply badVersion =
        http.post("/compatibility/subjects/" + SUBJECT + "/versions/x", schemaBody(SIGNUP_V1));
    Reply allOfNoSubject =
        http.post("/compatibility/subjects/nobody-value/versions", schemaBody(SIGNUP_V1));

    // Then each gets its Confluent error code
    assertThat(noSubject.status()).isEqualTo(404);
    assertThat(noSubject.errorCode()).isEqualTo(40401);
    assertThat(noVersion.status()).isEqualTo(404);
    assertThat(noVersion.errorCode()).isEqualTo(40402);
    assertThat(badVersion.status()).isEqualTo(422);
    assertThat(badVersion.errorCode()).isEqualTo(42202);
    // But against all versions, a subject that has none yet accepts anything (a check before the
    // first)
    assertThat(allOfNoSubject.json()).isEqualTo(json("{\"is_compatible\":true}"));
  }

  @Test
  void shouldServeAndChangeTheGlobalCompatibilityLevel() {
    // Given a registry nobody configured
    RegistryHttp http = REGISTRY.http();
    assertThat(http.get("/config").json()).isEqualTo(json("{\"compatibilityLevel\":\"BACKWARD\"}"));

    // When the global level is set to FULL, then to something invalid
    Reply changed = http.put("/config", "{\"compatibility\":\"FULL\"}");
    Reply invalid = http.put("/config", "{\"compatibility\":\"SIDEWAYS\"}");

    // Then FULL is answered and kept, the invalid level is refused with 42203
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json()).isEqualTo(json("{\"compatibility\":\"FULL\"}"));
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.errorCode()).isEqualTo(42203);
    assertThat(http.get("/config").json()).isEqualTo(json("{\"compatibilityLevel\":\"FULL\"}"));
  }

  @Test
  void shouldServeASubjectLevelOnlyWhenTheSubjectHasOne() {
    // Given a global level and a subject without its own
    RegistryHttp http = REGISTRY.http();
    http.put("/config", "{\"compatibility\":\"FORWARD\"}");

    // When the subject's level is read, with and without defaultToGlobal, then set
    Reply unset = http.get("/config/" + SUBJECT);
    Reply fallback = http.get("/config/" + SUBJECT + "?defaultToGlobal=true");
    Reply set = http.put("/config/" + SUBJECT, "{\"compatibility\":\"none\"}");

    // Then it is 40408 until set, the global level as a fallback, and its own once set
    assertThat(unset.status()).isEqualTo(404);
    assertThat(unset.errorCode()).isEqualTo(40408);
    assertThat(fallback.json()).isEqualTo(json("{\"compatibilityLevel\":\"FORWARD\"}"));
    assertThat(set.json()).isEqualTo(json("{\"compatibility\":\"NONE\"}"));
    assertThat(http.get("/config/" + SUBJECT).json())
        .isEqualTo(json("{\"compatibilityLevel\":\"NONE\"}"));
    assertThat(http.get("/config").json()).isEqualTo(json("{\"compatibilityLevel\":\"FORWARD\"}"));
  }

  @Test
  void shouldAcceptAnyEvolutionUnderNoneAndFollowTheSubjectLevelOverTheGlobalOne() {
    // Given version 1 of a subject configured NONE, under a FULL global level
    RegistryHttp http = REGISTRY.http();
    http.put("/config", "{\"compatibility\":\"FULL\"}");
    http.put("/config/" + SUBJECT, "{\"compatibility\":\"NONE\"}");
    http.post(VERSIONS, schemaBody(SIGNUP_V1));

    // When an incompatible schema is registered
    Reply registered = http.post(VERSIONS, schemaBody(SIGNUP_V2_WITH_REQUIRED_PROGRAM));

    // Then it becomes version 2
    assertThat(registered.status()).isEqualTo(200);
    assertThat(http.get(VERSIONS).json()).isEqualTo(json("[1,2]"));
  }

  @Test
  void shouldAcceptUnderForwardWhatBackwardAndFullRefuse() {
    // Given version 1 of three subjects, FORWARD, BACKWARD and FULL
    RegistryHttp http = REGISTRY.http();
    for (String level : new String[] {"FORWARD", "BACKWARD", "FULL"}) {
      http.put("/config/" + level, "{\"compatibility\":\"" + level + "\"}");
      http.post("/subjects/" + level + "/versions", schemaBody(SIGNUP_V1));
    }

    // When each gets a field without default (old readers ignore it; new readers cannot fill it)
    int forward =
        http.post("/subjects/FORWARD/versions", schemaBody(SIGNUP_V2_WITH_REQUIRED_PROGRAM))
            .status();
    int backward =
        http.post("/subjects/BACKWARD/versions", schemaBody(SIGNUP_V2_WITH_REQUIRED_PROGRAM))
            .status();
    int full =
        http.post("/subjects/FULL/versions", schemaBody(SIGNUP_V2_WITH_REQUIRED_PROGRAM)).status();

    // Then only FORWARD accepts it
    assertThat(forward).isEqualTo(200);
    assertThat(backward).isEqualTo(409);
    assertThat(full).isEqualTo(409);
  }

  @Test
  void shouldCheckEveryEarlierVersionOnlyUnderATransitiveLevel() {
    // Given v1 (f string) and v2 (no f) under BACKWARD and under BACKWARD_TRANSITIVE
    RegistryHttp http = REGISTRY.http();
    for (String level : new String[] {"BACKWARD", "BACKWARD_TRANSITIVE"}) {
      http.put("/config/" + level, "{\"compatibility\":\"" + level + "\"}");
      http.post("/subjects/" + level + "/versions", schemaBody(F_STRING));
      http.post("/subjects/" + level + "/versions", schemaBody(NO_F));
    }

    // When v3 (f int with default) is registered: compatible with v2, not with v1
    Reply plain = http.post("/subjects/BACKWARD/versions", schemaBody(F_INT));
    Reply transitive = http.post("/subjects/BACKWARD_TRANSITIVE/versions", schemaBody(F_INT));

    // Then BACKWARD accepts it and BACKWARD_TRANSITIVE names version 1 as the obstacle
    assertThat(plain.status()).isEqualTo(200);
    assertThat(transitive.status()).isEqualTo(409);
    assertThat(transitive.message()).contains("{oldSchemaVersion: 1}").contains("TYPE_MISMATCH");
  }

  private static String record(String field) {
    return "{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + field + "]}";
  }
}
