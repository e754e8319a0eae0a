package io.optin.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/**
 * Confluent's client keys are read as Confluent's clients read them, and secrets never leak into
 * messages.
 */
class SchemaRegistrySettingsTest {

  @Test
  void shouldReadSeveralUrlsAndDropTrailingSlashes() {
    SchemaRegistrySettings settings =
        SchemaRegistrySettings.fromConfig(
            Map.of(
                "schema.registry.url",
                "http://sr-1:8081/, https://sr-2.example:443/apis/ccompat/v7/"));

    assertThat(settings.urls())
        .containsExactly(
            URI.create("http://sr-1:8081"), URI.create("https://sr-2.example:443/apis/ccompat/v7"));
    assertThat(settings.userInfo()).isEmpty();
    assertThat(settings.connectTimeout()).isEqualTo(SchemaRegistrySettings.DEFAULT_CONNECT_TIMEOUT);
  }

  @Test
  void shouldAcceptAListOfUrlsAsKafkaConfigsMayHold() {
    SchemaRegistrySettings settings =
        SchemaRegistrySettings.fromConfig(
            Map.of("schema.registry.url", List.of("http://sr-1:8081", "http://sr-2:8081")));

    assertThat(settings.urls()).hasSize(2);
  }

  @Test
  void shouldTakeUserInfoWhenTheSourceIsUserInfo() {
    SchemaRegistrySettings settings =
        SchemaRegistrySettings.fromConfig(
            Map.of(
                "schema.registry.url", "http://sr:8081",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "optin:test-registry-password",
                "http.connect.timeout.ms", "2500",
                "http.read.timeout.ms", 9000));

    assertThat(settings.userInfo()).contains("optin:test-registry-password");
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(9));
  }

  @Test
  void shouldTakeUserInfoFromTheUrlWhenTheSourceIsUrlAndStripItFromTheUrl() {
    SchemaRegistrySettings settings =
        SchemaRegistrySettings.fromConfig(
            Map.of(
                "schema.registry.url", "http://optin:test-registry-password@sr:8081",
                "basic.auth.credentials.source", "URL"));

    assertThat(settings.userInfo()).contains("optin:test-registry-password");
    assertThat(settings.urls()).containsExactly(URI.create("http://sr:8081"));
  }

  @Test
  void shouldUseUserInfoGivenWithoutASourceRatherThanIgnoreIt() {
    SchemaRegistrySettings settings =
        SchemaRegistrySettings.fromConfig(
            Map.of(
                "schema.registry.url", "http://sr:8081",
                "schema.registry.basic.auth.user.info", "optin:test-registry-password"));

    assertThat(settings.userInfo()).contains("optin:test-registry-password");
  }

  @Test
  void shouldRefuseUserInfoSourceWithoutUserInfo() {
    assertThatThrownBy(
            () ->
                SchemaRegistrySettings.fromConfig(
                    Map.of(
                        "schema.registry.url",
                        "http://sr:8081",
                        "basic.auth.credentials.source",
                        "USER_INFO")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("basic.auth.user.info");
  }

  @Test
  void shouldRefuseAMalformedUserInfoWithoutEchoingIt() {
    assertThatThrownBy(
            () ->
                SchemaRegistrySettings.fromConfig(
                    Map.of(
                        "schema.registry.url",
                        "http://sr:8081",
                        "basic.auth.user.info",
                        "test-registry-password")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("user:password")
        .hasMessageNotContaining("test-registry-password");
  }

  @Test
  void shouldRefuseAnUnsupportedCredentialsSource() {
    assertThatThrownBy(
            () ->
                SchemaRegistrySettings.fromConfig(
                    Map.of(
                        "schema.registry.url",
                        "http://sr:8081",
                        "basic.auth.credentials.source",
                        "SASL_INHERIT")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("basic.auth.credentials.source")
        .hasMessageContaining("USER_INFO");
  }

  @Test
  void shouldRefuseAUrlThatIsNotHttp() {
    assertThatThrownBy(() -> SchemaRegistrySettings.of("localhost:8081"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void shouldRefuseANonNumericTimeout() {
    assertThatThrownBy(
            () ->
                SchemaRegistrySettings.fromConfig(
                    Map.of("schema.registry.url", "http://sr:8081", "http.read.timeout.ms", "30s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.read.timeout.ms");
  }

  @Test
  void shouldNeverPrintThePassword() {
    SchemaRegistrySettings settings =
        SchemaRegistrySettings.of("http://sr:8081").withUserInfo("optin:test-registry-password");

    assertThat(settings.toString())
        .doesNotContain("test-registry-password")
        .contains("auth=basic auth");
  }

  @Test
  void shouldReadOAuthClientCredentialsFromOptinsKeys() {
    SchemaRegistrySettings settings =
        SchemaRegistrySettings.fromConfig(
            Map.of(
                "schema.registry.url", "https://psrc-test.confluent.cloud",
                "schema.registry.oauth.token.url", "https://idp.example/oauth2/token",
                "schema.registry.oauth.client.id", "optin",
                "schema.registry.oauth.client.secret", "test-oauth-secret",
                "schema.registry.oauth.scope", "registry",
                "schema.registry.oauth.logical.cluster", "lsrc-test",
                "schema.registry.oauth.identity.pool.id", "pool-test"));

    assertThat(settings.auth())
        .isEqualTo(
            new RegistryAuth.OAuthClientCredentials(
                URI.create("https://idp.example/oauth2/token"),
                "optin",
                "test-oauth-secret",
                Optional.of("registry"),
                Optional.of("lsrc-test"),
                Optional.of("pool-test")));
    assertThat(settings.userInfo()).isEmpty();
    assertThat(settings.toString())
        .contains("auth=OAuth client credentials")
        .doesNotContain("test-oauth-secret");
    assertThat(settings.auth().toString()).doesNotContain("test-oauth-secret");
  }

  @Test
  void shouldReadAStaticTokenFromConfluentsKeys() {
    SchemaRegistrySettings settings =
        SchemaRegistrySettings.fromConfig(
            Map.of(
                "schema.registry.url", "https://sr:8081",
                "bearer.auth.credentials.source", "STATIC_TOKEN",
                "bearer.auth.token", "test-static-token"));

    assertThat(settings.auth()).isEqualTo(new RegistryAuth.StaticBearer("test-static-token"));
    assertThat(settings.toString() + settings.auth()).doesNotContain("test-static-token");
  }

  @Test
  void shouldRefuseTwoWaysToAuthenticateAtOnce() {
    assertThatThrownBy(
            () ->
                SchemaRegistrySettings.fromConfig(
                    Map.of(
                        "schema.registry.url", "https://sr:8081",
                        "schema.registry.basic.auth.user.info", "optin:test-registry-password",
                        "schema.registry.bearer.token", "test-static-token",
                        "schema.registry.oauth.client.id", "optin")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "The Schema Registry client takes one way to authenticate, but basic auth"
                + " (schema.registry.basic.auth.user.info) and a static bearer token"
                + " (schema.registry.bearer.token) and OAuth client credentials"
                + " (schema.registry.oauth.*) are set: keep only one");
  }

  @Test
  void shouldNameTheMissingOAuthSettings() {
    assertThatThrownBy(
            () ->
                SchemaRegistrySettings.fromConfig(
                    Map.of(
                        "schema.registry.url", "https://sr:8081",
                        "schema.registry.oauth.client.id", "optin",
                        "schema.registry.oauth.scope", "registry")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "OAuth client credentials for the Schema Registry need"
                + " schema.registry.oauth.token.url, schema.registry.oauth.client.secret too");
  }

  @Test
  void shouldRefuseABearerSourceWithoutItsSettings() {
    assertThatThrownBy(
            () ->
                SchemaRegistrySettings.fromConfig(
                    Map.of(
                        "schema.registry.url", "https://sr:8081",
                        "bearer.auth.credentials.source", "STATIC_TOKEN")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "bearer.auth.credentials.source=STATIC_TOKEN needs schema.registry.bearer.token");
    assertThatThrownBy(
            () ->
                SchemaRegistrySettings.fromConfig(
                    Map.of(
                        "schema.registry.url", "https://sr:8081",
                        "bearer.auth.credentials.source", "SASL_OAUTHBEARER_INHERIT")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("STATIC_TOKEN and OAUTHBEARER");
  }

  @Test
  void shouldRefuseAStorePasswordWithoutItsStore() {
    assertThatThrownBy(
            () ->
                SchemaRegistrySettings.fromConfig(
                    Map.of(
                        "schema.registry.url", "https://sr:8081",
                        "schema.registry.ssl.keystore.password", "test-store-password")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "schema.registry.ssl.keystore.password is set without"
                + " schema.registry.ssl.keystore.location");
  }
}
