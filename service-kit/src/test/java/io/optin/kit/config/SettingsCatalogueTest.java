package io.optin.kit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsCatalogueTest {

  private static final Setting<Integer> LENGTH =
      Setting.integer("test.length", 6, 4, 10, "Digits of a test.");
  private static final Setting<Duration> EXPIRY =
      Setting.duration(
          "test.expiry",
          Duration.ofMinutes(10),
          Duration.ofMinutes(1),
          Duration.ofHours(1),
          "How long a test lasts.");

  @Test
  void shouldKeepASettingReferencedByTwoCataloguesOnce() {
    // Given two modules that both read the shared code length
    SettingsCatalogue dispatcher = SettingsCatalogue.of(EXPIRY, SharedSettings.OTP_LENGTH);
    SettingsCatalogue replies =
        SettingsCatalogue.of(SharedSettings.OTP_LENGTH, LENGTH).withFamily("test.words.");

    // When
    SettingsCatalogue product = SettingsCatalogue.union(dispatcher, replies);

    // Then
    assertThat(product.all()).containsExactly(EXPIRY, SharedSettings.OTP_LENGTH, LENGTH);
    assertThat(product.familyPrefixes()).containsExactly("test.words.");
    assertThat(product.contains(SharedSettings.OTP_LENGTH)).isTrue();
  }

  @Test
  void shouldRefuseTwoSettingsDeclaredUnderOneKey() {
    // Given a module that re-declares a shared setting instead of referencing it
    Setting<Integer> copy = Setting.integer("otp.length", 6, 4, 10, "Digits in a one-time code.");

    // When / Then
    assertThatThrownBy(
            () -> SettingsCatalogue.union(SharedSettings.CATALOGUE, SettingsCatalogue.of(copy)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("two settings named otp.length");
    assertThat(SettingsCatalogue.of(copy).contains(SharedSettings.OTP_LENGTH)).isFalse();
  }

  @Test
  void shouldRefuseTwoSettingsReadFromOneVariable() {
    Setting<String> dotted = Setting.optionalText("test.a.b", "A dotted key.");
    Setting<String> dashed = Setting.optionalText("test.a-b", "A dashed key.");

    assertThatThrownBy(() -> SettingsCatalogue.of(dotted, dashed))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("two settings read from OPTIN_TEST_A_B");
  }

  @Test
  void shouldFindSettingsByKeyAndByVariable() {
    // Given
    SettingsCatalogue catalogue = SettingsCatalogue.of(EXPIRY, LENGTH);

    // Then
    assertThat(catalogue.find("test.expiry")).contains(EXPIRY);
    assertThat(catalogue.find("otp.length")).isEmpty();
    assertThat(catalogue.findByEnvironmentVariable("OPTIN_TEST_EXPIRY")).contains(EXPIRY);
    assertThat(catalogue.closestKey("test.expiri")).contains("test.expiry");
    assertThat(catalogue.closestKey("completely.different.words")).isEmpty();
    assertThat(SettingsCatalogue.isKafkaPassThrough("kafka.acks")).isTrue();
    assertThat(SettingsCatalogue.isKafkaPassThrough("kafka.")).isFalse();
  }

  @Test
  void shouldKnowItsSettingsKafkaKeysAndTheMembersOfItsFamilies() {
    // Given
    SettingsCatalogue catalogue = SettingsCatalogue.of(LENGTH).withFamily("test.words.");

    // Then
    assertThat(catalogue.isKnownKey("test.length")).isTrue();
    assertThat(catalogue.isKnownKey("kafka.acks")).isTrue();
    assertThat(catalogue.isKnownKey("test.words.confirm.fr")).isTrue();
    assertThat(catalogue.isKnownKey("test.words.")).isFalse();
    assertThat(catalogue.isKnownKey("test.expiry")).isFalse();
    assertThatThrownBy(() -> catalogue.withFamily("test.words"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldGiveTheSharedSettingsTheirDocumentedRanges() {
    assertThat(SharedSettings.OTP_LENGTH.allowed()).isEqualTo("4 to 10");
    assertThat(SharedSettings.OTP_SECRET.allowed()).isEqualTo("32 bytes or more");
    assertThat(ProcessSettings.HTTP_PORT.allowed()).isEqualTo("0 to 65535");
    assertThat(ProcessSettings.HTTP_MANAGEMENT_PORT.allowed()).isEqualTo("-1 to 65535");
    assertThat(ProcessSettings.CATALOGUE.all())
        .extracting(Setting::key)
        .containsExactly(
            "kafka.bootstrap.servers",
            "schema.registry.url",
            "schema.registry.basic.auth.user.info",
            "schema.registry.bearer.token",
            "schema.registry.oauth.token.url",
            "schema.registry.oauth.client.id",
            "schema.registry.oauth.client.secret",
            "schema.registry.oauth.scope",
            "schema.registry.oauth.logical.cluster",
            "schema.registry.oauth.identity.pool.id",
            "schema.registry.ssl.truststore.location",
            "schema.registry.ssl.truststore.password",
            "schema.registry.ssl.truststore.type",
            "schema.registry.ssl.keystore.location",
            "schema.registry.ssl.keystore.password",
            "schema.registry.ssl.keystore.type",
            "schema.registry.ssl.key.password",
            "schema.registry.auto.register",
            "http.port",
            "http.management.port",
            "public.base.url",
            "http.advertised.url",
            "api.tokens",
            "http.threads",
            "http.max.connections",
            "http.read.timeout",
            "http.idle.timeout",
            "streams.state.dir",
            "streams.rocksdb.memory.mb",
            "instance.id");
  }
}
