package io.optin.devkit.registry;

import static io.optin.devkit.registry.RegistryHttp.json;
import static io.optin.devkit.registry.RegistryHttp.schemaBody;
import static io.optin.devkit.registry.TestSchemas.SIGNUP_V1;
import static org.assertj.core.api.Assertions.assertThat;

import io.optin.devkit.registry.RegistryHttp.Reply;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SchemaRegistryHttpIT {

  @RegisterExtension static final RunningRegistry REGISTRY = new RunningRegistry();

  @Test
  void shouldAnswer404WithAnErrorBodyForAnUnknownPath() {
    // When paths the registry does not serve are called
    Reply unknown = REGISTRY.http().get("/nothing/here");
    Reply tooDeep = REGISTRY.http().get("/subjects/s/versions/1/schema/more");

    // Then both are 404 with error_code 404 in Confluent's content type
    for (Reply reply : new Reply[] {unknown, tooDeep}) {
      assertThat(reply.status()).isEqualTo(404);
      assertThat(reply.errorCode()).isEqualTo(404);
      assertThat(reply.contentType()).isEqualTo(RegistryHttp.CONTENT_TYPE);
    }
  }

  @Test
  void shouldAnswer405ForAKnownPathWithAnotherMethod() {
    // When known paths are called with methods they do not take
    Reply deleteSubjects = REGISTRY.http().send("DELETE", "/subjects", null, null);
    Reply getLookup = REGISTRY.http().get("/subjects/s");
    Reply postConfig = REGISTRY.http().post("/config", "{\"compatibility\":\"FULL\"}");

    // Then each is 405 with error_code 405, and the POST changed nothing
    for (Reply reply : new Reply[] {deleteSubjects, getLookup, postConfig}) {
      assertThat(reply.status()).isEqualTo(405);
      assertThat(reply.errorCode()).isEqualTo(405);
    }
    assertThat(REGISTRY.http().get("/config").json())
        .isEqualTo(json("{\"compatibilityLevel\":\"BACKWARD\"}"));
  }

  @Test
  void shouldRefuseMalformedJsonWith400AndWrongShapesWith422() {
    // When bodies that are not JSON, not objects, or empty are sent
    Reply malformed = REGISTRY.http().post("/subjects/s/versions", "{\"schema\": ");
    Reply notAnObject = REGISTRY.http().post("/subjects/s/versions", "[1,2]");
    Reply empty = REGISTRY.http().post("/subjects/s/versions", "");
    Reply schemaNotAString =
        REGISTRY.http().post("/subjects/s/versions", "{\"schema\":{\"type\":\"string\"}}");

    // Then each says what is wrong, and nothing was registered
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.errorCode()).isEqualTo(400);
    assertThat(malformed.json())
        .isEqualTo(
            json(
                "{\"error_code\":400,\"message\":\"Malformed JSON body: it ends before the JSON"
                    + " value is complete at line 1, column 12\"}"));
    assertThat(notAnObject.status()).isEqualTo(422);
    assertThat(notAnObject.errorCode()).isEqualTo(422);
    assertThat(empty.status()).isEqualTo(422);
    assertThat(schemaNotAString.status()).isEqualTo(422);
    assertThat(REGISTRY.http().get("/subjects").json()).isEqualTo(json("[]"));
  }

  @Test
  void shouldRefuseContentAfterTheBodyInPlainWords() {
    Reply trailing = REGISTRY.http().post("/subjects/s/versions", schemaBody(SIGNUP_V1) + "{}");

    assertThat(trailing.status()).isEqualTo(400);
    assertThat(trailing.message()).startsWith("Malformed JSON body: content after the JSON value");
    assertThat(REGISTRY.http().get("/subjects").json()).isEqualTo(json("[]"));
  }

  @Test
  void shouldRefuseSchemasThatAreNotJsonWith42201AndNoParserText() {
    // When schemas that are not JSON, or too deeply nested JSON, are registered
    Reply garbage = REGISTRY.http().post("/subjects/s/versions", schemaBody("GARBAGE"));
    Reply deep = REGISTRY.http().post("/subjects/s/versions", schemaBody("[".repeat(1_200)));

    // Then each is 42201 in Confluent's shape, with a plain reason, and nothing was registered
    assertThat(garbage.status()).isEqualTo(422);
    assertThat(garbage.json())
        .isEqualTo(
            json(
                "{\"error_code\":42201,\"message\":\"Invalid schema: not valid JSON (unexpected"
                    + " content at line 1, column 1)\"}"));
    assertThat(deep.status()).isEqualTo(422);
    assertThat(deep.json())
        .isEqualTo(
            json(
                "{\"error_code\":42201,"
                    + "\"message\":\"Invalid schema: not valid JSON (nested too deeply)\"}"));
    assertThat(REGISTRY.http().get("/subjects").json()).isEqualTo(json("[]"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/vnd.schemaregistry.v1+json",
        "application/vnd.schemaregistry+json",
        "application/json",
        "application/octet-stream",
        "application/json; charset=utf-8"
      })
  void shouldAcceptTheContentTypesConfluentClientsSend(String contentType) {
    // When a schema is registered with this content type
    Reply registered =
        REGISTRY.http().send("POST", "/subjects/s/versions", schemaBody(SIGNUP_V1), contentType);

    // Then it is registered and answered in the registry's own content type
    assertThat(registered.status()).isEqualTo(200);
    assertThat(registered.json()).isEqualTo(json("{\"id\":1}"));
    assertThat(registered.contentType()).isEqualTo(RegistryHttp.CONTENT_TYPE);
  }

  @Test
  void shouldRefuseOtherContentTypesWith415() {
    // When a schema is sent as form data
    Reply refused =
        REGISTRY
            .http()
            .send(
                "POST",
                "/subjects/s/versions",
                schemaBody(SIGNUP_V1),
                "application/x-www-form-urlencoded");

    // Then it is refused
    assertThat(refused.status()).isEqualTo(415);
    assertThat(refused.errorCode()).isEqualTo(415);
  }

  @Test
  void shouldServeTheRootAndTheSchemaTypes() {
    assertThat(REGISTRY.http().get("/").json()).isEqualTo(json("{}"));
    assertThat(REGISTRY.http().get("/schemas/types").json()).isEqualTo(json("[\"AVRO\"]"));
  }

  @Test
  void shouldDecodeEachPathSegmentOnItsOwn() {
    // When subjects with an encoded slash, a plus and a space are registered
    String[] encoded = {"team%2Fsignups-value", "a+b", "with%20space"};
    for (String subject : encoded) {
      assertThat(
              REGISTRY
                  .http()
                  .post("/subjects/" + subject + "/versions", schemaBody(SIGNUP_V1))
                  .status())
          .isEqualTo(200);
    }

    // Then they are listed decoded and served under their encoded names
    assertThat(REGISTRY.http().get("/subjects").json())
        .isEqualTo(json("[\"a+b\",\"team/signups-value\",\"with space\"]"));
    assertThat(REGISTRY.http().get("/subjects/team%2Fsignups-value/versions").json())
        .isEqualTo(json("[1]"));
  }

  @Test
  void shouldRefuseABodyAboveTheCapWith413BeforeReadingIt() {
    // Given a body one KiB above the cap, as a schema with a long doc
    String body = schemaBody(withDoc("x".repeat(RegistryHttpHandler.MAX_BODY_BYTES + 1024 - 120)));
    assertThat(body.length()).isGreaterThan(RegistryHttpHandler.MAX_BODY_BYTES);

    // When its head is sent (the JDK client, sending the rest meanwhile, can see the connection
    // closed after the 413 before it reads it)
    Reply refused = REGISTRY.http().postHeadOnly("/subjects/s/versions", body.length());

    // Then it is refused in Confluent's error shape, and nothing was registered
    assertThat(refused.status()).isEqualTo(413);
    assertThat(refused.contentType()).isEqualTo(RegistryHttp.CONTENT_TYPE);
    assertThat(refused.json())
        .isEqualTo(
            json(
                "{\"error_code\":413,\"message\":\"HTTP 413 Payload Too Large: request body is"
                    + " larger than 1048576 bytes\"}"));
    assertThat(REGISTRY.http().get("/subjects").json()).isEqualTo(json("[]"));
  }

  @Test
  void shouldRefuseASchemaTooLargeToStoreWith413AndKeepServing() {
    // Given a body under the cap whose schema is too large for one record of the schema topic
    String schema = withDoc("y".repeat(SchemaLog.MAX_RECORD_BYTES));
    String body = schemaBody(schema);
    assertThat(body.length()).isLessThan(RegistryHttpHandler.MAX_BODY_BYTES);

    // When it is registered
    Reply refused = REGISTRY.http().post("/subjects/s/versions", body);

    // Then it is refused before it is written, without an exception text
    assertThat(refused.status()).isEqualTo(413);
    assertThat(refused.errorCode()).isEqualTo(413);
    assertThat(refused.message())
        .matches(
            "HTTP 413 Payload Too Large: the schema takes \\d+ bytes once stored, more than the"
                + " 1000000 this registry stores");
    assertThat(REGISTRY.http().get("/subjects").json()).isEqualTo(json("[]"));

    // And the registry still registers, with the first id
    Reply registered = REGISTRY.http().post("/subjects/s/versions", schemaBody(SIGNUP_V1));
    assertThat(registered.status()).isEqualTo(200);
    assertThat(registered.json()).isEqualTo(json("{\"id\":1}"));
  }

  @Test
  void shouldRefuseABodyAboveTheCapSentInChunks() {
    // Given a chunked body (no declared length) above the cap
    String body = schemaBody(withDoc("z".repeat(RegistryHttpHandler.MAX_BODY_BYTES)));

    // When it is registered
    Reply refused = REGISTRY.http().postChunked("/subjects/s/versions", body);

    // Then it is refused once the cap is passed, and nothing was registered
    assertThat(refused.status()).isEqualTo(413);
    assertThat(refused.json())
        .isEqualTo(
            json(
                "{\"error_code\":413,\"message\":\"HTTP 413 Payload Too Large: request body is"
                    + " larger than 1048576 bytes\"}"));
    assertThat(REGISTRY.http().get("/subjects").json()).isEqualTo(json("[]"));
  }

  /** {@link TestSchemas#SIGNUP_V1} with {@code doc}. */
  private static String withDoc(String doc) {
    return "{\"type\":\"record\",\"name\":\"Signup\",\"namespace\":\"io.optin.test\",\"doc\":\""
        + doc
        + "\",\"fields\":[{\"name\":\"phone\",\"type\":\"string\"}]}";
  }
}
