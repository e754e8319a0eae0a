package io.optin.devkit.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemaRequestTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"type\":                 | not valid JSON (it ends before the JSON value is complete"
            + " at line 1, column 9)",
        "GARBAGE                    | not valid JSON (unexpected content at line 1, column 1)",
        "[\"int\",]                | not valid JSON (unexpected content at line 1, column 8)",
      })
  void shouldSayInPlainWordsWhyASchemaIsNotJson(String schema, String reason) {
    assertRefused(schema, "Invalid schema: " + reason);
  }

  @Test
  void shouldSayASchemaIsNestedTooDeeplyWithoutTheParsersNames() {
    assertRefused("[".repeat(1_200), "Invalid schema: not valid JSON (nested too deeply)");
  }

  @Test
  void shouldKeepAvrosOwnWordsForAJsonTextThatIsNoSchema() {
    assertRefused(
        "{\"type\":\"record\",\"name\":\"a-b\",\"fields\":[]}",
        "Invalid schema: Illegal character in: a-b");
    assertRefused(
        "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"n\",\"type\":\"int\","
            + "\"default\":\"ten\"}]}",
        "Invalid schema: Invalid default for field n: \"ten\" not a \"int\"");
    assertRefused("\"string\" x", "Invalid schema: dangling content after end of schema: x");
  }

  @Test
  void shouldParseAnAvroSchema() {
    assertThat(SchemaRequest.parseAvro("{\"type\":\"string\"}"))
        .isEqualTo(Schema.create(Schema.Type.STRING));
  }

  private static void assertRefused(String schema, String message) {
    RegistryException refused =
        catchThrowableOfType(RegistryException.class, () -> SchemaRequest.parseAvro(schema));

    assertThat(refused).as("refused %s", schema).isNotNull();
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo(RegistryErrors.INVALID_SCHEMA);
    assertThat(refused.getMessage()).isEqualTo(message);
  }
}
