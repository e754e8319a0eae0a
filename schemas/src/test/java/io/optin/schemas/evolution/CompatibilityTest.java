package io.optin.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.optin.schemas.GeneratedRecords;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Shows that the check gating the build ({@link Compatibility#problems}) refuses the changes that
 * would break readers of released data, and lets through the ones that would not.
 */
class CompatibilityTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldAcceptTheReleasedSchemaAsItIs() {
    // Given the released SignupRequested
    Schema released = released("SignupRequested.avsc");

    // Then it reads its own data
    assertThat(Compatibility.problems(released, released)).isEmpty();
    assertThat(Compatibility.canRead(released, released)).isTrue();
  }

  @Test
  void shouldAcceptANewFieldThatHasADefault() {
    // Given a next version adding an optional field with a default
    Schema next =
        changed(
            "SignupRequested.avsc",
            schema ->
                fields(schema)
                    .add(
                        JSON.createObjectNode()
                            .put("name", "campaignId")
                            .put("doc", "Campaign.")
                            .<ObjectNode>set(
                                "type", JSON.createArrayNode().add("null").add("string"))
                            .set("default", JSON.nullNode())));

    // Then old records read with the default
    assertThat(Compatibility.problems(next, released("SignupRequested.avsc"))).isEmpty();
  }

  @Test
  void shouldRejectANewFieldWithoutDefault() {
    // Given a next version adding a required field
    Schema next =
        changed(
            "SignupRequested.avsc",
            schema ->
                fields(schema)
                    .add(
                        JSON.createObjectNode()
                            .put("name", "campaignId")
                            .put("type", "string")
                            .put("doc", "Campaign.")));

    // Then the check reports that old records have no value for it
    assertThat(Compatibility.problems(next, released("SignupRequested.avsc")))
        .singleElement()
        .asString()
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "campaignId");
    assertThat(Compatibility.canRead(next, released("SignupRequested.avsc"))).isFalse();
  }

  @Test
  void shouldRejectARemovedEnumSymbolWhenTheEnumHasNoDefault() {
    // Given a next ChallengeEvent whose outcome enum lost EXPIRED and its default symbol
    Schema next =
        changed(
            "ChallengeEvent.avsc",
            schema -> {
              ObjectNode outcome = (ObjectNode) field(schema, "outcome").get("type");
              outcome.set("symbols", withoutSymbol((ArrayNode) outcome.get("symbols"), "EXPIRED"));
              outcome.remove("default");
            });

    // Then released records saying EXPIRED could not be read
    assertThat(Compatibility.problems(next, released("ChallengeEvent.avsc")))
        .singleElement()
        .asString()
        .contains("MISSING_ENUM_SYMBOLS", "EXPIRED");
  }

  @Test
  void shouldAcceptARemovedEnumSymbolWhenTheEnumHasADefault() {
    // Given the same removal, but the enum keeps its UNKNOWN default (which the contract test
    // requires)
    Schema next =
        changed(
            "ChallengeEvent.avsc",
            schema -> {
              ObjectNode outcome = (ObjectNode) field(schema, "outcome").get("type");
              outcome.set("symbols", withoutSymbol((ArrayNode) outcome.get("symbols"), "EXPIRED"));
            });

    // Then released records saying EXPIRED read as UNKNOWN
    assertThat(Compatibility.problems(next, released("ChallengeEvent.avsc"))).isEmpty();
  }

  @Test
  void shouldRejectAChangedFieldType() {
    // Given a next version where the issue time shrank from a long (timestamp-millis) to an int
    Schema next =
        changed("ChallengeEvent.avsc", schema -> field(schema, "issuedAt").put("type", "int"));

    // Then a long cannot be read as an int
    assertThat(Compatibility.problems(next, released("ChallengeEvent.avsc")))
        .singleElement()
        .asString()
        .contains("TYPE_MISMATCH", "issuedAt");
  }

  @Test
  void shouldRejectARenamedRequiredFieldWithoutAlias() {
    // Given a next version renaming phone to msisdn without an alias
    Schema next =
        changed("SubscriberStatus.avsc", schema -> field(schema, "phone").put("name", "msisdn"));

    // Then old records have no msisdn
    assertThat(Compatibility.problems(next, released("SubscriberStatus.avsc")))
        .singleElement()
        .asString()
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "msisdn");
  }

  private static Schema released(String file) {
    return GeneratedRecords.releasedSchemas().get(file);
  }

  private static Schema changed(String file, Consumer<ObjectNode> change) {
    try {
      ObjectNode schema = (ObjectNode) JSON.readTree(released(file).toString());
      change.accept(schema);
      return new Schema.Parser().parse(schema.toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ArrayNode fields(ObjectNode schema) {
    return (ArrayNode) schema.get("fields");
  }

  private static ObjectNode field(ObjectNode schema, String name) {
    for (var field : fields(schema)) {
      if (field.get("name").asText().equals(name)) {
        return (ObjectNode) field;
      }
    }
    throw new IllegalArgumentException("no field " + name);
  }

  private static ArrayNode withoutSymbol(ArrayNode symbols, String removed) {
    ArrayNode kept = JSON.createArrayNode();
    symbols.forEach(
        symbol -> {
          if (!symbol.asText().equals(removed)) {
            kept.add(TextNode.valueOf(symbol.asText()));
          }
        });
    return kept;
  }
}
