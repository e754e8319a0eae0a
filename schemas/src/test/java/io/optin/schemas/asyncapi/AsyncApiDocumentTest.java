package io.optin.schemas.asyncapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.Writer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/asyncapi.yaml is what {@link AsyncApiDocument} generates from the catalogue, valid against
 * the official AsyncAPI 3.0.0 JSON schema, and describes every topic of the catalogue, no other,
 * with its configs, schema, key, subject and writers. {@code -Dasyncapi.update=true} rewrites it
 * (and still fails, so the change is reviewed in the commit).
 */
class AsyncApiDocumentTest {

  private static final String UPDATE_PROPERTY = "asyncapi.update";
  private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).resolve("..");
  private static final Path DOCUMENT = ROOT.resolve(AsyncApiDocument.LOCATION);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldBeWhatTheGeneratorWritesFromTheCatalogue() throws IOException {
    // Given the document the catalogue and the schemas generate
    String generated = AsyncApiDocument.yaml();

    // When it is compared with the committed one (or replaces it on request)
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      Files.writeString(DOCUMENT, generated, StandardCharsets.UTF_8);
      fail(DOCUMENT + " rewritten: review and commit it, then run without -D" + UPDATE_PROPERTY);
    }
    String committed =
        Files.exists(DOCUMENT) ? Files.readString(DOCUMENT, StandardCharsets.UTF_8) : "";

    // Then they are equal
    assertThat(committed)
        .as(
            DOCUMENT
                + " is not what the catalogue generates: run mvn -o -pl schemas test"
                + " -Dtest=AsyncApiDocumentTest -D"
                + UPDATE_PROPERTY
                + "=true and commit it")
        .isEqualTo(generated);
  }

  @Test
  void shouldBeValidAgainstTheAsyncApi300JsonSchema() throws IOException {
    // Given the committed document and the official schema
    JsonNode document = committed();

    // When it is validated
    Set<ValidationMessage> errors = asyncApiSchema().validate(document);

    // Then nothing is wrong
    assertThat(errors).isEmpty();
  }

  @Test
  void shouldFailValidationWhenABindingBreaksTheSpec() throws IOException {
    // Given the document with a cleanup policy Kafka does not know and an operation with no action
    ObjectNode document = (ObjectNode) committed();
    ((ObjectNode)
            document.at("/channels/optin.subscriber-status.v1/bindings/kafka/topicConfiguration"))
        .putArray("cleanup.policy")
        .add("erase");
    ((ObjectNode) document.at("/operations")).putObject("nothing.send.optin.nowhere.v1");

    // When it is validated
    Set<ValidationMessage> errors = asyncApiSchema().validate(document);

    // Then both are reported
    String found = errors.stream().map(ValidationMessage::toString).collect(Collectors.joining());
    assertThat(found)
        .contains(
            "$.channels.optin.subscriber-status.v1.bindings.kafka.topicConfiguration"
                + ".cleanup.policy[0]: does not have a value in the enumeration")
        .contains("$.operations.nothing.send.optin.nowhere.v1")
        .contains("required property 'action' not found");
  }

  @Test
  void shouldDescribeEveryTopicOfTheCatalogueAndNoOther() throws IOException {
    // Given the committed document
    JsonNode document = committed();

    // When its channels are read
    Set<String> addresses = new TreeSet<>();
    document.get("channels").forEach(channel -> addresses.add(channel.get("address").asText()));

    // Then they are the catalogue's topics, each with its configs, key, writers and value schema
    assertThat(addresses)
        .isEqualTo(
            Topics.all().stream().map(Topic::name).collect(Collectors.toCollection(TreeSet::new)));
    for (Topic<?> topic : Topics.all()) {
      JsonNode channel = document.get("channels").get(topic.name());
      JsonNode kafka = channel.get("bindings").get("kafka");
      assertThat(configs(kafka.get("topicConfiguration")))
          .as(topic.name())
          .isEqualTo(topic.configs());
      assertThat(kafka.has("partitions"))
          .as(topic.name())
          .isEqualTo(topic.fixedPartitions().isPresent());
      topic
          .fixedPartitions()
          .ifPresent(n -> assertThat(kafka.get("partitions").asInt()).isEqualTo(n));
      assertThat(channel.get("x-optin-writer").asText()).isEqualTo(topic.writer().module());
      assertThat(channel.get("x-optin-co-partitioned").asBoolean())
          .isEqualTo(topic.coPartitioned());

      String name = topic.valueType().getSimpleName();
      assertThat(channel.get("messages").get(name).get("$ref").asText())
          .isEqualTo("#/components/messages/" + name);
      JsonNode message = document.get("components").get("messages").get(name);
      JsonNode payload = message.get("payload");
      assertThat(payload.get("schemaFormat").asText()).isEqualTo(AsyncApiDocument.AVRO_FORMAT);
      assertThat(new Schema.Parser().parse(payload.get("schema").toString()))
          .as(topic.name())
          .isEqualTo(SpecificData.get().getSchema(topic.valueType()));
      JsonNode binding = message.get("bindings").get("kafka");
      assertThat(binding.get("key").get("type").asText()).isEqualTo("string");
      assertThat(binding.get("key").get("description").asText()).isEqualTo(topic.keyDescription());
      assertThat(binding.get("schemaIdLocation").asText()).isEqualTo("payload");
      assertThat(binding.get("schemaIdPayloadEncoding").asText()).isEqualTo("confluent");
      assertThat(binding.get("schemaLookupStrategy").asText()).isEqualTo("TopicNameStrategy");
      assertThat(message.get("x-optin-value-subject").asText()).isEqualTo(topic.name() + "-value");

      Set<String> senders = new TreeSet<>();
      document
          .get("operations")
          .forEach(
              operation -> {
                if (operation.get("action").asText().equals("send")
                    && operation
                        .get("channel")
                        .get("$ref")
                        .asText()
                        .equals("#/channels/" + topic.name())) {
                  senders.add(operation.get("x-optin-module").asText());
                }
              });
      assertThat(senders)
          .as(topic.name())
          .isEqualTo(
              topic.writers().stream()
                  .map(Writer::module)
                  .collect(Collectors.toCollection(TreeSet::new)));
    }
  }

  @Test
  void shouldOfferAReceiveOperationForEachPublishedTopic() throws IOException {
    // Given the committed document
    JsonNode document = committed();

    // When its receive operations are listed
    Set<String> received = new TreeSet<>();
    document
        .get("operations")
        .forEach(
            operation -> {
              if (operation.get("action").asText().equals("receive")) {
                received.add(operation.get("channel").get("$ref").asText());
              }
            });

    // Then they are the two topics data teams sink
    assertThat(received)
        .containsExactly(
            "#/channels/" + Topics.CONFIRMED_SUBSCRIBERS.name(),
            "#/channels/" + Topics.SUBSCRIBER_STATUS.name());
  }

  /** The binding's topic configs as the strings Kafka is given. */
  private static Map<String, String> configs(JsonNode topicConfiguration) {
    Map<String, String> configs = new LinkedHashMap<>();
    topicConfiguration
        .fields()
        .forEachRemaining(
            entry -> {
              JsonNode value = entry.getValue();
              configs.put(
                  entry.getKey(),
                  value.isArray()
                      ? String.join(",", JSON.convertValue(value, String[].class))
                      : value.asText());
            });
    return configs;
  }

  private static JsonNode committed() throws IOException {
    Object tree = new Yaml().load(Files.readString(DOCUMENT, StandardCharsets.UTF_8));
    return JSON.valueToTree(tree);
  }

  private static JsonSchema asyncApiSchema() throws IOException {
    try (InputStream in =
        AsyncApiDocumentTest.class.getResourceAsStream("/asyncapi/asyncapi-3.0.0.schema.json")) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
    }
  }
}
