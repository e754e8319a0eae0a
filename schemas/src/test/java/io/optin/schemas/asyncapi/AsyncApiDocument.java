package io.optin.schemas.asyncapi;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.Writer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes docs/asyncapi.yaml, the AsyncAPI 3.0 description of every topic, from the topic catalogue
 * ({@link Topics}) and the Avro schemas of the generated classes: nothing in it is typed by hand.
 *
 * <p>Each topic is a channel (its address the topic name) with the Kafka channel binding (topic
 * configs, fixed partitions), one message (the value's Avro schema embedded, the string key and the
 * Confluent wire format in the Kafka message binding, the TopicNameStrategy subject), a send
 * operation for each module that writes it, and a receive operation for the topics published for
 * readers outside optin. Run {@code main} with the repository root as argument, or the test with
 * {@code -Dasyncapi.update=true}.
 */
public final class AsyncApiDocument {

  /** The Avro schema format AsyncAPI names for an embedded Avro schema. */
  public static final String AVRO_FORMAT = "application/vnd.apache.avro+json;version=1.9.0";

  /** The AsyncAPI Kafka bindings version used for channels, messages and servers. */
  public static final String BINDING_VERSION = "0.5.0";

  /** Where the document lives, from the repository root. */
  public static final Path LOCATION = Path.of("docs", "asyncapi.yaml");

  /** The topics published for readers outside optin (sinks, docs/integrations.md). */
  public static final Set<String> PUBLISHED =
      Set.of(Topics.CONFIRMED_SUBSCRIBERS.name(), Topics.SUBSCRIBER_STATUS.name());

  private static final String HEADER =
      "# Generated from the topic catalogue (io.optin.schemas.Topics) and the Avro schemas by\n"
          + "# io.optin.schemas.asyncapi.AsyncApiDocument: do not edit. After changing a topic or a\n"
          + "# schema, regenerate it with\n"
          + "#   mvn -o -pl schemas test -Dtest=AsyncApiDocumentTest -Dasyncapi.update=true\n";

  private static final ObjectMapper JSON = new ObjectMapper();

  private AsyncApiDocument() {}

  /** Regenerates the document under the repository root given as the only argument. */
  public static void main(String[] args) throws IOException {
    Path file = Path.of(args.length > 0 ? args[0] : ".").resolve(LOCATION);
    Files.writeString(file, yaml(), StandardCharsets.UTF_8);
  }

  /** The document, as YAML text. */
  public static String yaml() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(0);
    options.setSplitLines(false);
    options.setWidth(Integer.MAX_VALUE);
    return HEADER + new Yaml(options).dump(tree());
  }

  /** The document, as the tree of maps and lists the YAML is written from. */
  public static Map<String, Object> tree() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("asyncapi", "3.0.0");
    doc.put(
        "info",
        ordered(
            "title",
            "optin topics",
            "version",
            "v1",
            "description",
            "The Kafka topics of optin, the SMS double opt-in pipeline: keys are UTF-8 strings,"
                + " values Avro records in the Confluent wire format (magic byte 0, 4-byte"
                + " schema id, Avro binary), their schemas registered under the subject"
                + " <topic>-value (TopicNameStrategy). A null value is a tombstone. Each channel"
                + " names the module that writes it (x-optin-writer). How to sink the published"
                + " topics: docs/integrations.md.",
            "license",
            ordered("name", "Apache-2.0")));
    doc.put("defaultContentType", "application/vnd.apache.avro+binary");
    doc.put("servers", servers());
    Map<String, Object> channels = new LinkedHashMap<>();
    Map<String, Object> operations = new LinkedHashMap<>();
    Map<String, Object> messages = new LinkedHashMap<>();
    for (Topic<?> topic : Topics.all()) {
      String message = topic.valueType().getSimpleName();
      channels.put(topic.name(), channel(topic, message));
      messages.put(message, message(topic));
      for (Writer writer : topic.writers()) {
        operations.put(writer.module() + ".send." + topic.name(), send(topic, message, writer));
      }
      if (PUBLISHED.contains(topic.name())) {
        operations.put("reader.receive." + topic.name(), receive(topic, message));
      }
    }
    doc.put("channels", channels);
    doc.put("operations", operations);
    doc.put("components", ordered("messages", messages));
    return doc;
  }

  private static Map<String, Object> servers() {
    return ordered(
        "kafka",
        ordered(
            "host",
            "localhost:9092",
            "protocol",
            "kafka",
            "description",
            "Placeholder: the brokers of your deployment (settings kafka.bootstrap.servers and"
                + " schema.registry.url, docs/running.md).",
            "bindings",
            ordered(
                "kafka",
                ordered(
                    "schemaRegistryUrl", "http://localhost:8081",
                    "schemaRegistryVendor", "confluent",
                    "bindingVersion", BINDING_VERSION))));
  }

  private static Map<String, Object> channel(Topic<?> topic, String message) {
    Map<String, Object> channel = new LinkedHashMap<>();
    channel.put("address", topic.name());
    channel.put("title", topic.name());
    channel.put("description", describe(topic));
    channel.put("messages", ordered(message, ref("#/components/messages/" + message)));
    Map<String, Object> kafka = new LinkedHashMap<>();
    kafka.put("topic", topic.name());
    topic.fixedPartitions().ifPresent(partitions -> kafka.put("partitions", partitions));
    kafka.put("topicConfiguration", topicConfiguration(topic));
    kafka.put("bindingVersion", BINDING_VERSION);
    channel.put("bindings", ordered("kafka", kafka));
    channel.put("x-optin-key", topic.keyDescription());
    channel.put("x-optin-writer", topic.writer().module());
    List<Map<String, Object>> others = new ArrayList<>();
    topic
        .otherWriters()
        .forEach(
            other -> others.add(ordered("module", other.writer().module(), "why", other.why())));
    if (!others.isEmpty()) {
      channel.put("x-optin-other-writers", others);
    }
    channel.put("x-optin-co-partitioned", topic.coPartitioned());
    return channel;
  }

  private static String describe(Topic<?> topic) {
    String partitions =
        topic
            .fixedPartitions()
            .map(n -> n + " partition(s) whatever topics.partitions says")
            .orElse(
                topic.coPartitioned()
                    ? "topics.partitions partitions, co-partitioned with the other phone-keyed"
                        + " topics"
                    : "topics.partitions partitions");
    return "Key: "
        + topic.keyDescription()
        + ". Value: "
        + topic.valueType().getSimpleName()
        + " (subject "
        + topic.valueSubject()
        + "). Written by "
        + topic.writers().stream().map(Writer::module).reduce((a, b) -> a + ", " + b).orElse("")
        + ". Cleanup policy "
        + topic.cleanupPolicy().config()
        + ", "
        + partitions
        + ".";
  }

  /**
   * The topic configs of the catalogue, typed as the Kafka channel binding wants them: the cleanup
   * policy as a list, whole numbers as integers, anything else as the string Kafka is given.
   */
  static Map<String, Object> topicConfiguration(Topic<?> topic) {
    Map<String, Object> configs = new LinkedHashMap<>();
    topic
        .configs()
        .forEach(
            (name, value) -> {
              if (name.equals("cleanup.policy")) {
                configs.put(name, List.of(value.split(",")));
              } else if (value.matches("-?\\d+")) {
                configs.put(name, Long.parseLong(value));
              } else {
                configs.put(name, value);
              }
            });
    return configs;
  }

  private static Map<String, Object> message(Topic<?> topic) {
    Map<String, Object> message = new LinkedHashMap<>();
    Schema schema = SpecificData.get().getSchema(topic.valueType());
    message.put("name", topic.valueType().getSimpleName());
    message.put("title", schema.getFullName());
    if (schema.getDoc() != null) {
      message.put("summary", schema.getDoc());
    }
    message.put("contentType", "application/vnd.apache.avro+binary");
    message.put("payload", ordered("schemaFormat", AVRO_FORMAT, "schema", avroJson(schema)));
    message.put(
        "bindings",
        ordered(
            "kafka",
            ordered(
                "key", ordered("type", "string", "description", topic.keyDescription()),
                "schemaIdLocation", "payload",
                "schemaIdPayloadEncoding", "confluent",
                "schemaLookupStrategy", "TopicNameStrategy",
                "bindingVersion", BINDING_VERSION)));
    message.put("x-optin-value-subject", topic.valueSubject());
    return message;
  }

  private static Map<String, Object> send(Topic<?> topic, String message, Writer writer) {
    return ordered(
        "action", "send",
        "title", writer.module() + " writes " + topic.name(),
        "channel", ref("#/channels/" + topic.name()),
        "messages", List.of(ref("#/channels/" + topic.name() + "/messages/" + message)),
        "x-optin-module", writer.module());
  }

  private static Map<String, Object> receive(Topic<?> topic, String message) {
    return ordered(
        "action",
        "receive",
        "title",
        "a sink or stream processor outside optin reads " + topic.name(),
        "description",
        "See docs/integrations.md (Kafka Connect JDBC sink, Flink SQL, ksqlDB).",
        "channel",
        ref("#/channels/" + topic.name()),
        "messages",
        List.of(ref("#/channels/" + topic.name() + "/messages/" + message)));
  }

  private static Map<String, Object> avroJson(Schema schema) {
    try {
      return JSON.readValue(
          schema.toString(), new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> ref(String target) {
    return ordered("$ref", target);
  }

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
