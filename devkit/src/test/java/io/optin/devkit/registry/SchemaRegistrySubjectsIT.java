package io.optin.devkit.registry;

import static io.optin.devkit.registry.RegistryHttp.json;
import static io.optin.devkit.registry.RegistryHttp.schemaBody;
import static io.optin.devkit.registry.TestSchemas.CONSENT;
import static io.optin.devkit.registry.TestSchemas.SIGNUP_V1;
import static io.optin.devkit.registry.TestSchemas.SIGNUP_V1_REFORMATTED;
import static io.optin.devkit.registry.TestSchemas.SIGNUP_V2_WITH_LOCALE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optin.devkit.registry.RegistryHttp.Reply;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SchemaRegistrySubjectsIT {

  @RegisterExtension static final RunningRegistry REGISTRY = new RunningRegistry();

  private static final String SUBJECT = "optin.signup-requests.v1-value";
  private static final String CANONICAL_V1 = new Schema.Parser().parse(SIGNUP_V1).toString();

  @Test
  void shouldRegisterASchemaAndServeItBySubjectVersionAndId() {
    // Given an empty registry
    RegistryHttp http = REGISTRY.http();

    // When a schema is registered
    Reply registered = http.post("/subjects/" + SUBJECT + "/versions", schemaBody(SIGNUP_V1));

    // Then it gets id 1 as version 1, visible through every read endpoint in Confluent's shapes
    assertThat(registered.status()).isEqualTo(200);
    assertThat(registered.contentType()).isEqualTo(RegistryHttp.CONTENT_TYPE);
    assertThat(registered.json()).isEqualTo(json("{\"id\":1}"));
    assertThat(http.get("/subjects").json()).isEqualTo(json("[\"" + SUBJECT + "\"]"));
    assertThat(http.get("/subjects/" + SUBJECT + "/versions").json()).isEqualTo(json("[1]"));
    ObjectNode expectedVersion =
        RegistryHttp.object()
            .put("subject", SUBJECT)
            .put("version", 1)
            .put("id", 1)
            .put("schema", CANONICAL_V1);
    assertThat(http.get("/subjects/" + SUBJECT + "/versions/1").json()).isEqualTo(expectedVersion);
    assertThat(http.get("/subjects/" + SUBJECT + "/versions/latest").json())
        .isEqualTo(expectedVersion);
    assertThat(http.get("/schemas/ids/1").json()).isEqualTo(json(schemaBody(CANONICAL_V1)));
    assertThat(http.get("/schemas/ids/1/schema").json()).isEqualTo(json(SIGNUP_V1));
    assertThat(http.get("/subjects/" + SUBJECT + "/versions/1/schema").json())
        .isEqualTo(json(SIGNUP_V1));
  }

  @Test
  void
      shouldReturnTheSameIdAndNoNewVersionWhenTheSameSchemaIsRegisteredAgainDifferentlyFormatted() {
    // Given a registered schema
    RegistryHttp http = REGISTRY.http();
    int id =
        http.post("/subjects/" + SUBJECT + "/versions", schemaBody(SIGNUP_V1))
            .json()
            .get("id")
            .asInt();

    // When the same schema, with other whitespace and key order, is registered again
    Reply again =
        http.post("/subjects/" + SUBJECT + "/versions", schemaBody(SIGNUP_V1_REFORMATTED));

    // Then it has the same id and the subject still has one version
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("id").asInt()).isEqualTo(id);
    assertThat(http.get("/subjects/" + SUBJECT + "/versions").json()).isEqualTo(json("[1]"));
  }

  @Test
  void shouldGiveOneSchemaTheSameIdUnderTwoSubjects() {
    // Given a schema registered under one subject, after another schema
    RegistryHttp http = REGISTRY.http();
    http.post("/subjects/consents-value/versions", schemaBody(CONSENT));
    int id =
        http.post("/subjects/" + SUBJECT + "/versions", schemaBody(SIGNUP_V1))
            .json()
            .get("id")
            .asInt();

    // When it is registered under a second subject
    Reply second = http.post("/subjects/archive-value/versions", schemaBody(SIGNUP_V1));

    // Then the id is shared, and it is version 1 of the second subject
    assertThat(id).isEqualTo(2);
    assertThat(second.json().get("id").asInt()).isEqualTo(id);
    assertThat(http.get("/subjects/archive-value/versions/latest").json().get("version").asInt())
        .isEqualTo(1);
    assertThat(http.get("/subjects").json())
        .isEqualTo(json("[\"archive-value\",\"consents-value\",\"" + SUBJECT + "\"]"));
  }

  @Test
  void shouldAddTheNextVersionWithTheNextIdForACompatibleEvolution() {
    // Given version 1
    RegistryHttp http = REGISTRY.http();
    http.post("/subjects/" + SUBJECT + "/versions", schemaBody(SIGNUP_V1));

    // When a backward compatible version 2 is registered
    Reply registered =
        http.post("/subjects/" + SUBJECT + "/versions", schemaBody(SIGNUP_V2_WITH_LOCALE));

    // Then it is version 2 with id 2, and "latest" names it
    assertThat(registered.json()).isEqualTo(json("{\"id\":2}"));
    assertThat(http.get("/subjects/" + SUBJECT + "/versions").json()).isEqualTo(json("[1,2]"));
    Reply latest = http.get("/subjects/" + SUBJECT + "/versions/latest");
    assertThat(latest.json().get("version").asInt()).isEqualTo(2);
    assertThat(latest.json().get("id").asInt()).isEqualTo(2);
    assertThat(http.get("/subjects/" + SUBJECT + "/versions/1").json().get("id").asInt())
        .isEqualTo(1);
  }

  @Test
  void shouldLookUpASchemaUnderItsSubject() {
    // Given two versions of a subject
    RegistryHttp http = REGISTRY.http();
    http.post("/subjects/" + SUBJECT + "/versions", schemaBody(SIGNUP_V1));
    http.post("/subjects/" + SUBJECT + "/versions", schemaBody(SIGNUP_V2_WITH_LOCALE));

    // When version 1 is looked up by its text, another layout of it
    Reply found = http.post("/subjects/" + SUBJECT, schemaBody(SIGNUP_V1_REFORMATTED));

    // Then its subject, version, id and schema come back; unknown ones are 40401 and 40403
    assertThat(found.status()).isEqualTo(200);
    assertThat(found.json().get("subject").asText()).isEqualTo(SUBJECT);
    assertThat(found.json().get("version").asInt()).isEqualTo(1);
    assertThat(found.json().get("id").asInt()).isEqualTo(1);
    assertThat(found.json().get("schema").asText()).isEqualTo(CANONICAL_V1);
    assertThat(found.json().has("schemaType")).isFalse();
    Reply unknownSubject = http.post("/subjects/nobody-value", schemaBody(SIGNUP_V1));
    assertThat(unknownSubject.status()).isEqualTo(404);
    assertThat(unknownSubject.errorCode()).isEqualTo(40401);
    assertThat(unknownSubject.message()).isEqualTo("Subject 'nobody-value' not found.");
    Reply unknownSchema = http.post("/subjects/" + SUBJECT, schemaBody(CONSENT));
    assertThat(unknownSchema.status()).isEqualTo(404);
    assertThat(unknownSchema.errorCode()).isEqualTo(40403);
  }

  @Test
  void shouldAnswerConfluentErrorsForUnknownSubjectsVersionsAndIds() {
    // Given one registered version
    RegistryHttp http = REGISTRY.http();
    http.post("/subjects/" + SUBJECT + "/versions", schemaBody(SIGNUP_V1));

    // When unknown or invalid things are asked for, then each gets its own status and error code
    assertError(http.get("/subjects/nobody-value/versions"), 404, 40401);
    assertError(http.get("/subjects/nobody-value/versions/latest"), 404, 40401);
    assertError(http.get("/subjects/" + SUBJECT + "/versions/7"), 404, 40402);
    assertThat(http.get("/subjects/" + SUBJECT + "/versions/7").message())
        .isEqualTo("Version 7 not found.");
    assertError(http.get("/subjects/" + SUBJECT + "/versions/0"), 422, 42202);
    assertError(http.get("/subjects/" + SUBJECT + "/versions/newest"), 422, 42202);
    assertError(http.get("/schemas/ids/99"), 404, 40403);
    assertError(http.get("/schemas/ids/99/schema"), 404, 40403);
    assertError(http.get("/schemas/ids/not-a-number"), 404, 404);
  }

  @Test
  void shouldRefuseUnparsableSchemasOtherSchemaTypesAndMissingSchemasWith42201() {
    // Given a registry
    RegistryHttp http = REGISTRY.http();

    // When bad schemas are registered
    Reply unparsable =
        http.post("/subjects/s/versions", schemaBody("{\"type\":\"record\",\"name\":\"X\"}"));
    Reply badDefault =
        http.post(
            "/subjects/s/versions",
            schemaBody(
                """
                {"type":"record","name":"X","fields":[{"name":"n","type":"int","default":"ten"}]}"""));
    Reply protobuf =
        http.post(
            "/subjects/s/versions",
            "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\"; message X {}\"}");
    Reply references =
        http.post(
            "/subjects/s/versions",
            "{\"schema\":\"\\\"string\\\"\","
                + "\"references\":[{\"name\":\"a\",\"subject\":\"b\",\"version\":1}]}");
    Reply missing = http.post("/subjects/s/versions", "{\"schemaType\":\"AVRO\"}");

    // Then each is refused as an invalid schema, and nothing was registered
    assertError(unparsable, 422, 42201);
    assertError(badDefault, 422, 42201);
    assertError(protobuf, 422, 42201);
    assertThat(protobuf.message()).contains("PROTOBUF").contains("AVRO");
    assertError(references, 422, 42201);
    assertError(missing, 422, 42201);
    assertThat(http.get("/subjects").json()).isEqualTo(json("[]"));
  }

  @Test
  void shouldAcceptThePrimitiveSchemasThatKeySerializersRegister() {
    // Given a registry
    RegistryHttp http = REGISTRY.http();

    // When a plain string schema is registered, as a string-keyed topic's key serializer does
    Reply registered =
        http.post("/subjects/" + "optin.consent-audit.v1-key/versions", schemaBody("\"string\""));

    // Then it is served back as such
    assertThat(registered.status()).isEqualTo(200);
    int id = registered.json().get("id").asInt();
    assertThat(http.get("/schemas/ids/" + id).json())
        .isEqualTo(json("{\"schema\":\"\\\"string\\\"\"}"));
  }

  private static void assertError(Reply reply, int status, int errorCode) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.errorCode()).as(reply.body()).isEqualTo(errorCode);
    assertThat(reply.message()).as(reply.body()).isNotBlank();
    assertThat(reply.contentType()).isEqualTo(RegistryHttp.CONTENT_TYPE);
  }
}
