package io.optin.schemas.registry;

import static io.optin.schemas.registry.TestCertificates.STORE_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.SignupRequested;
import io.optin.schemas.Topics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client over HTTPS to a real server that requires a client certificate: the trust
 * store and key store settings are what makes the handshake succeed.
 */
class RegistryTlsTest {

  private static final String SUBJECT = Topics.SIGNUP_REQUESTS.valueSubject();
  private static final Schema SIGNUP = SignupRequested.getClassSchema();

  @TempDir static Path dir;
  private static TestCertificates certificates;
  private static FakeConfluentRegistry registry;

  @BeforeAll
  static void startRegistry() {
    certificates = TestCertificates.create(dir);
    registry = FakeConfluentRegistry.startTls(certificates.serverContext(), true);
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  @Test
  void shouldRegisterOverMutualTlsWithPkcs12Stores() {
    // Given a client trusting the server's certificate and holding a certificate the server trusts
    Map<String, String> config = trusting();
    config.put("schema.registry.ssl.keystore.location", certificates.clientKeyStore().toString());
    config.put("schema.registry.ssl.keystore.password", STORE_PASSWORD);
    RestSchemaRegistryClient client = RestSchemaRegistryClient.fromConfig(config);

    // When a schema is registered, then the registry answered over the mutual TLS connection
    int id = client.register(SUBJECT, SIGNUP);
    assertThat(client.schemaById(id)).isEqualTo(SIGNUP);
    assertThat(registry.store().schemaById(id)).isEqualTo(SIGNUP);
  }

  @Test
  void shouldRegisterOverMutualTlsWithPemFiles() {
    // Given the same certificates as PEM files: the server's alone, the client's with its key
    Map<String, String> config = new HashMap<>();
    config.put("schema.registry.url", registry.url());
    config.put(
        "schema.registry.ssl.truststore.location", certificates.serverCertificatePem().toString());
    config.put("schema.registry.ssl.truststore.type", "PEM");
    config.put(
        "schema.registry.ssl.keystore.location", certificates.clientPemKeyStore().toString());
    config.put("schema.registry.ssl.keystore.type", "pem");
    RestSchemaRegistryClient client = RestSchemaRegistryClient.fromConfig(config);

    // When a schema is looked up after its registration, then both calls went through
    int id = client.register(SUBJECT, SIGNUP);
    assertThat(client.latest(SUBJECT).id()).isEqualTo(id);
  }

  @Test
  void shouldFailTheHandshakeWithoutAClientCertificate() {
    // Given a client trusting the server but holding no certificate
    RestSchemaRegistryClient client = RestSchemaRegistryClient.fromConfig(trusting());

    // When a schema is registered, then no answer came: the server closed the handshake
    assertThatThrownBy(() -> client.register(SUBJECT, SIGNUP))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("is unreachable")
        .satisfies(e -> assertThat(((SchemaRegistryException) e).isUnreachable()).isTrue());
  }

  @Test
  void shouldNotTrustTheServerWithTheJdkTrustAnchorsAlone() {
    // Given a client with its certificate but without the server's in a trust store
    Map<String, String> config = new HashMap<>();
    config.put("schema.registry.url", registry.url());
    config.put("schema.registry.ssl.keystore.location", certificates.clientKeyStore().toString());
    config.put("schema.registry.ssl.keystore.password", STORE_PASSWORD);
    RestSchemaRegistryClient client = RestSchemaRegistryClient.fromConfig(config);

    // When a schema is registered, then the server's certificate is refused
    assertThatThrownBy(() -> client.register(SUBJECT, SIGNUP))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("is unreachable");
  }

  @Test
  void shouldRefuseAWrongKeyStorePasswordWhenTheSettingsAreRead() {
    // Given a key store password that does not open the store
    Map<String, String> config = trusting();
    config.put("schema.registry.ssl.keystore.location", certificates.clientKeyStore().toString());
    config.put("schema.registry.ssl.keystore.password", "wrong-test-password");

    // When the settings are read, then the store and the key are named, never the password
    assertThatThrownBy(() -> SchemaRegistrySettings.fromConfig(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(certificates.clientKeyStore().toString())
        .hasMessageContaining("schema.registry.ssl.keystore.location")
        .hasMessageContaining("check its password and type")
        .hasMessageNotContaining("wrong-test-password");
  }

  @Test
  void shouldRefuseAMissingTrustStoreFile() {
    Map<String, String> config = new HashMap<>();
    config.put("schema.registry.url", registry.url());
    config.put("schema.registry.ssl.truststore.location", dir.resolve("absent.p12").toString());

    assertThatThrownBy(() -> SchemaRegistrySettings.fromConfig(config))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "schema.registry.ssl.truststore.location names "
                + dir.resolve("absent.p12")
                + ", which cannot be read");
  }

  @Test
  void shouldRefuseTlsStoresWithAPlainHttpUrl() {
    Map<String, String> config = trusting();
    config.put("schema.registry.url", "http://127.0.0.1:8081");

    assertThatThrownBy(() -> SchemaRegistrySettings.fromConfig(config))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "schema.registry.ssl.* is set but schema.registry.url names http://127.0.0.1:8081:"
                + " use https:// URLs");
  }

  private static Map<String, String> trusting() {
    Map<String, String> config = new HashMap<>();
    config.put("schema.registry.url", registry.url());
    config.put(
        "schema.registry.ssl.truststore.location", certificates.clientTrustStore().toString());
    config.put("schema.registry.ssl.truststore.password", STORE_PASSWORD);
    return config;
  }
}
