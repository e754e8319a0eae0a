package io.optin.devkit.registry;

import static io.optin.devkit.registry.RegistryHttp.json;
import static io.optin.devkit.registry.RegistryHttp.schemaBody;
import static io.optin.devkit.registry.TestSchemas.CONSENT;
import static io.optin.devkit.registry.TestSchemas.SIGNUP_V1;
import static io.optin.devkit.registry.TestSchemas.SIGNUP_V2_WITH_LOCALE;
import static io.optin.devkit.registry.TestSchemas.SIGNUP_V2_WITH_REQUIRED_PROGRAM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.optin.devkit.registry.RegistryHttp.Reply;
import io.optin.kit.kafka.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SchemaRegistryRestartIT {

  @RegisterExtension static final RunningRegistry REGISTRY = new RunningRegistry();

  @Test
  void shouldServeIdenticalIdsVersionsAndConfigAfterARestartAndContinueFromTheNextId() {
    // Given schemas under two subjects and compatibility settings
    RegistryHttp before = REGISTRY.http();
    before.post("/subjects/signups-value/versions", schemaBody(SIGNUP_V1));
    before.post("/subjects/signups-value/versions", schemaBody(SIGNUP_V2_WITH_LOCALE));
    before.post("/subjects/consents-value/versions", schemaBody(CONSENT));
    before.put("/config", "{\"compatibility\":\"FORWARD\"}");
    before.put("/config/consents-value", "{\"compatibility\":\"NONE\"}");
    List<JsonNode> answersBefore = reads(before);

    // When the registry is stopped and a new instance starts on the same topic
    RegistryHttp after = REGISTRY.restart();

    // Then every read answers exactly as before
    assertThat(reads(after)).isEqualTo(answersBefore);
    assertThat(after.get("/config").json()).isEqualTo(json("{\"compatibilityLevel\":\"FORWARD\"}"));
    assertThat(after.get("/config/consents-value").json())
        .isEqualTo(json("{\"compatibilityLevel\":\"NONE\"}"));
    // And a new schema takes the next id, while a known one keeps its id under a new subject
    Reply next =
        after.post("/subjects/signups-value/versions", schemaBody(SIGNUP_V2_WITH_REQUIRED_PROGRAM));
    assertThat(next.json()).isEqualTo(json("{\"id\":4}"));
    assertThat(after.get("/subjects/signups-value/versions").json()).isEqualTo(json("[1,2,3]"));
    assertThat(after.post("/subjects/archive-value/versions", schemaBody(SIGNUP_V1)).json())
        .isEqualTo(json("{\"id\":1}"));
  }

  @Test
  void shouldKeepItsStateInACompactedSinglePartitionTopicInConfluentsLayout() throws Exception {
    // Given a registered schema
    REGISTRY.http().post("/subjects/signups-value/versions", schemaBody(SIGNUP_V1));

    // When the registry's topic is inspected
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, REGISTRY.bootstrapServers()))) {
      TopicDescription description =
          admin
              .describeTopics(List.of(REGISTRY.topic()))
              .allTopicNames()
              .get()
              .get(REGISTRY.topic());
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, REGISTRY.topic());
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);

      // Then it has one partition, is compacted, and holds the registration as Confluent writes it
      assertThat(description.partitions()).hasSize(1);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    }
    ConsumerRecord<String, String> record = readAll().get(0);
    assertThat(json(record.key()))
        .isEqualTo(
            json(
                "{\"keytype\":\"SCHEMA\",\"subject\":\"signups-value\",\"version\":1,\"magic\":1}"));
    JsonNode value = json(record.value());
    assertThat(value.get("id").asInt()).isEqualTo(1);
    assertThat(value.get("version").asInt()).isEqualTo(1);
    assertThat(value.get("deleted").asBoolean()).isFalse();
    assertThat(json(value.get("schema").asText())).isEqualTo(json(SIGNUP_V1));
  }

  private static List<JsonNode> reads(RegistryHttp http) {
    return List.of(
        http.get("/subjects").json(),
        http.get("/subjects/signups-value/versions").json(),
        http.get("/subjects/signups-value/versions/1").json(),
        http.get("/subjects/signups-value/versions/2").json(),
        http.get("/subjects/consents-value/versions/latest").json(),
        http.get("/schemas/ids/1").json(),
        http.get("/schemas/ids/2").json(),
        http.get("/schemas/ids/3").json());
  }

  private static List<ConsumerRecord<String, String>> readAll() throws Exception {
    return new TopicReader(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, REGISTRY.bootstrapServers()),
            Duration.ofSeconds(30))
        .readAll(REGISTRY.topic(), new StringDeserializer(), new StringDeserializer());
  }
}
