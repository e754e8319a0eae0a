package io.optin.kit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.kit.streams.StreamsConfigs;
import io.optin.schemas.registry.RegistryAuth;
import io.optin.schemas.registry.SchemaRegistrySettings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The settings of managed Kafka services (SASL_SSL with PLAIN, SCRAM, OAUTHBEARER or AWS IAM) reach
 * every Kafka client unchanged, and their secrets are never printed.
 */
class ManagedKafkaSettingsTest {

  private static final SettingsCatalogue CATALOGUE =
      SettingsCatalogue.union(ProcessSettings.CATALOGUE, SharedSettings.CATALOGUE);

  @TempDir Path dir;

  /** The client settings of each service, as docs/running.md gives them, and their secrets. */
  static Stream<Arguments> clusters() {
    return Stream.of(
        Arguments.of(
            "Confluent Cloud, API key",
            Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"TESTAPIKEY\" password=\"test-api-secret\";",
                "client.dns.lookup", "use_all_dns_ips"),
            List.of("test-api-secret"),
            true),
        Arguments.of(
            "MSK or Redpanda, SCRAM",
            Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"optin\" password=\"test-scram-password\";",
                "ssl.truststore.location", "/etc/optin/ca.p12",
                "ssl.truststore.password", "test-truststore-password"),
            List.of("test-scram-password", "test-truststore-password"),
            true),
        Arguments.of(
            "Confluent Cloud, OAUTHBEARER",
            Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "OAUTHBEARER",
                "sasl.login.callback.handler.class",
                    "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler",
                "sasl.oauthbearer.token.endpoint.url", "https://idp.example/oauth2/token",
                "sasl.oauthbearer.client.credentials.client.id", "optin",
                "sasl.oauthbearer.client.credentials.client.secret", "test-oauth-secret",
                "sasl.oauthbearer.scope", "kafka",
                "sasl.jaas.config",
                    "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
                        + " extension_logicalCluster=\"lkc-test\""
                        + " extension_identityPoolId=\"pool-test\";"),
            List.of("test-oauth-secret"),
            true),
        Arguments.of(
            "Amazon MSK, IAM (aws-msk-iam-auth on the class path)",
            Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "AWS_MSK_IAM",
                "sasl.jaas.config",
                    "software.amazon.msk.auth.iam.IAMLoginModule required"
                        + " awsRoleArn=\"arn:aws:iam::123456789012:role/test-secret-role\";",
                "sasl.client.callback.handler.class",
                    "software.amazon.msk.auth.iam.IAMClientCallbackHandler"),
            List.of("test-secret-role"),
            // The handler class is in the aws-msk-iam-auth jar, which optin does not bundle: the
            // Kafka config classes would refuse to load it here.
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clusters")
  void shouldHandTheSettingsUnchangedToEveryKafkaClient(
      String name, Map<String, String> client, List<String> secrets, boolean loadable)
      throws IOException {
    // Given the client settings under kafka.* in a settings file
    Settings settings = load(client);

    // When the clients' configurations are made: plain producers, consumers and admins; a
    // consumer group member of its own; every client of a Streams application
    StreamsConfig streams =
        new StreamsConfig(
            StreamsConfigs.forApplication("optin-test", ProcessSettings.streamsClients(settings)));
    List<Map<String, Object>> configs =
        List.of(
            Map.copyOf(settings.kafkaClientProperties()),
            Map.copyOf(ProcessSettings.staticMemberClients(settings, "sender-1")),
            streams.getMainConsumerConfigs("optin-test", "client", 0),
            streams.getRestoreConsumerConfigs("client"),
            streams.getGlobalConsumerConfigs("client"),
            streams.getProducerConfigs("client"),
            streams.getAdminConfigs("client"));

    // Then each holds every setting as given, and Streams kept exactly-once
    assertThat(configs).allSatisfy(config -> assertThat(config).containsAllEntriesOf(client));
    assertThat(streams.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
        .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    if (loadable) {
      // and Kafka's own config classes accept them, printing the secrets as [hidden]
      Map<String, Object> producer = streams.getProducerConfigs("client");
      producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      ProducerConfig producerConfig = new ProducerConfig(producer);
      Map<String, Object> consumer = streams.getMainConsumerConfigs("optin-test", "client", 0);
      consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      ConsumerConfig consumerConfig = new ConsumerConfig(consumer);
      AdminClientConfig adminConfig = new AdminClientConfig(streams.getAdminConfigs("client"));
      for (var config : List.of(producerConfig, consumerConfig, adminConfig)) {
        assertThat(config.getString("sasl.mechanism")).isEqualTo(client.get("sasl.mechanism"));
        assertThat(config.values().toString()).doesNotContain(secrets);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clusters")
  void shouldNeverPrintTheSecrets(
      String name, Map<String, String> client, List<String> secrets, boolean loadable)
      throws IOException {
    Settings settings = load(client);

    assertThat(settings.describe())
        .contains("kafka.sasl.jaas.config = ****")
        .contains("kafka.sasl.mechanism = " + client.get("sasl.mechanism"))
        .doesNotContain(secrets);
  }

  @Test
  void shouldMaskKafkasInlinePemKeyAndAssertionKeys() {
    assertThat(Setting.isSecretKey("kafka.ssl.keystore.key")).isTrue();
    assertThat(Setting.isSecretKey("kafka.sasl.oauthbearer.assertion.private.key.passphrase"))
        .isTrue();
    assertThat(Setting.isSecretKey("kafka.ssl.truststore.certificates")).isFalse();
    assertThat(Setting.isSecretKey("kafka.sasl.oauthbearer.token.endpoint.url")).isFalse();
    assertThat(Setting.isSecretKey("schema.registry.oauth.token.url")).isFalse();
  }

  @Test
  void shouldBuildTheRegistryClientSettingsFromOptinsKeys() throws IOException {
    Path file = dir.resolve("registry.properties");
    Files.writeString(
        file,
        String.join(
            "\n",
            "schema.registry.url=https://psrc-test.confluent.cloud",
            "schema.registry.oauth.token.url=https://idp.example/oauth2/token",
            "schema.registry.oauth.client.id=optin",
            "schema.registry.oauth.scope=registry",
            "schema.registry.oauth.logical.cluster=lsrc-test",
            "schema.registry.oauth.identity.pool.id=pool-test"),
        StandardCharsets.UTF_8);
    Settings settings =
        Settings.load(
            CATALOGUE,
            Optional.of(file),
            Map.of("OPTIN_SCHEMA_REGISTRY_OAUTH_CLIENT_SECRET", "test-oauth-secret"));

    SchemaRegistrySettings registry = ProcessSettings.schemaRegistry(settings);

    assertThat(registry.auth())
        .isEqualTo(
            new RegistryAuth.OAuthClientCredentials(
                URI.create("https://idp.example/oauth2/token"),
                "optin",
                "test-oauth-secret",
                Optional.of("registry"),
                Optional.of("lsrc-test"),
                Optional.of("pool-test")));
    assertThat(registry.tls()).isEmpty();
    assertThat(settings.describe())
        .contains("schema.registry.oauth.client.secret = ****")
        .doesNotContain("test-oauth-secret");
  }

  @Test
  void shouldRefuseTwoWaysToAuthenticateToTheRegistryAsASettingsProblem() {
    Settings settings =
        Settings.load(
            CATALOGUE,
            Optional.empty(),
            Map.of(
                "OPTIN_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "optin:test-registry-password",
                "OPTIN_SCHEMA_REGISTRY_BEARER_TOKEN", "test-static-token"));

    assertThatThrownBy(() -> ProcessSettings.schemaRegistry(settings))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("one way to authenticate")
        .hasMessageNotContaining("test-registry-password")
        .hasMessageNotContaining("test-static-token");
  }

  private Settings load(Map<String, String> client) throws IOException {
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put("kafka.bootstrap.servers", "broker-1.example:9096");
    client.forEach((key, value) -> lines.put("kafka." + key, value));
    Path file = dir.resolve("optin.properties");
    StringBuilder text = new StringBuilder();
    lines.forEach(
        (key, value) ->
            text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return Settings.load(CATALOGUE, Optional.of(file), Map.of());
  }
}
