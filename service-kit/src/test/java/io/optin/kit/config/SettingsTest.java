package io.optin.kit.config;

import static io.optin.kit.config.SettingsCatalogue.API_TOKENS;
import static io.optin.kit.config.SettingsCatalogue.AUDIT_RETENTION;
import static io.optin.kit.config.SettingsCatalogue.HTTP_PORT;
import static io.optin.kit.config.SettingsCatalogue.KAFKA_BOOTSTRAP_SERVERS;
import static io.optin.kit.config.SettingsCatalogue.OTP_EXPIRY;
import static io.optin.kit.config.SettingsCatalogue.OTP_LENGTH;
import static io.optin.kit.config.SettingsCatalogue.OTP_SECRET;
import static io.optin.kit.config.SettingsCatalogue.SCHEMA_REGISTRY_AUTO_REGISTER;
import static io.optin.kit.config.SettingsCatalogue.SCHEMA_REGISTRY_USER_INFO;
import static io.optin.kit.config.SettingsCatalogue.TOPICS_PARTITIONS;
import static io.optin.kit.config.SettingsCatalogue.TWILIO_AUTH_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  @TempDir Path dir;

  @Test
  void shouldUseTheCatalogueDefaultsWhenNothingIsSet() {
    // When
    Settings settings = Settings.load(Optional.empty(), Map.of("PATH", "/usr/bin"));

    // Then
    assertThat(settings.string(KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("127.0.0.1:9092");
    assertThat(settings.integer(OTP_LENGTH)).isEqualTo(6);
    assertThat(settings.duration(OTP_EXPIRY)).isEqualTo(Duration.ofMinutes(10));
    assertThat(settings.bool(SCHEMA_REGISTRY_AUTO_REGISTER)).isTrue();
    assertThat(settings.duration(AUDIT_RETENTION)).isEqualTo(ValueType.INFINITE);
    assertThat(settings.list(API_TOKENS)).isEmpty();
    assertThat(settings.optional(TWILIO_AUTH_TOKEN)).isEmpty();
    assertThat(settings.origin(OTP_LENGTH)).isEqualTo("default");
  }

  @Test
  void shouldLetTheFileOverrideDefaultsAndTheEnvironmentOverrideTheFile() throws IOException {
    // Given
    Path file = file("otp.length=8\notp.expiry=5m\nhttp.port=9000\n");

    // When
    Settings settings = Settings.load(Optional.of(file), Map.of("OPTIN_OTP_EXPIRY", "PT15M"));

    // Then
    assertThat(settings.integer(OTP_LENGTH)).isEqualTo(8);
    assertThat(settings.origin(OTP_LENGTH)).isEqualTo("file " + file);
    assertThat(settings.duration(OTP_EXPIRY)).isEqualTo(Duration.ofMinutes(15));
    assertThat(settings.origin(OTP_EXPIRY)).isEqualTo("environment variable OPTIN_OTP_EXPIRY");
    assertThat(settings.integer(HTTP_PORT)).isEqualTo(9000);
  }

  @Test
  void shouldMapEnvironmentVariablesToKeysInUpperCaseWithUnderscores() {
    // When
    Settings settings =
        Settings.load(
            Optional.empty(),
            Map.of(
                "OPTIN_SCHEMA_REGISTRY_AUTO_REGISTER", "FALSE",
                "OPTIN_TOPICS_PARTITIONS", "12",
                "OPTIN_API_TOKENS", "first-token, second-token"));

    // Then
    assertThat(settings.bool(SCHEMA_REGISTRY_AUTO_REGISTER)).isFalse();
    assertThat(settings.integer(TOPICS_PARTITIONS)).isEqualTo(12);
    assertThat(settings.list(API_TOKENS)).containsExactly("first-token", "second-token");
    assertThat(Setting.environmentVariable("a.b-c.d")).isEqualTo("OPTIN_A_B_C_D");
  }

  @Test
  void shouldPassKafkaSettingsThroughWithThePrefixRemoved() throws IOException {
    // Given
    Path file = file("kafka.acks=all\nkafka.bootstrap.servers=broker-1:9092\n");
    Map<String, String> env =
        Map.of(
            "OPTIN_KAFKA_SASL_MECHANISM",
            "PLAIN",
            "OPTIN_KAFKA_BOOTSTRAP_SERVERS",
            "broker-2:9092,broker-3:9092");

    // When
    Settings settings = Settings.load(Optional.of(file), env);

    // Then
    assertThat(settings.kafkaClientProperties())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "acks", "all",
                "bootstrap.servers", "broker-2:9092,broker-3:9092",
                "sasl.mechanism", "PLAIN"));
    assertThat(settings.string(KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("broker-2:9092,broker-3:9092");
  }

  @Test
  void shouldRefuseAnUnknownKeyInTheFileSuggestingTheClosestOne() throws IOException {
    // Given
    Path file = file("otp.expiri=5m\n");

    // When / Then
    assertThatThrownBy(() -> Settings.load(Optional.of(file), Map.of()))
        .isInstanceOf(SettingsException.class)
        .hasMessage("unknown setting 'otp.expiri' in file " + file + " (did you mean otp.expiry?)");
  }

  @Test
  void shouldRefuseAnUnknownOptinVariable() {
    assertThatThrownBy(() -> Settings.load(Optional.empty(), Map.of("OPTIN_HTTP_PROT", "8080")))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "unknown setting in environment variable OPTIN_HTTP_PROT: no setting is named 'http.prot'"
                + " (did you mean http.port?)");
  }

  @Test
  void shouldIgnoreVariablesThatAreNotOptinSettings() {
    // When
    Settings settings =
        Settings.load(
            Optional.empty(),
            Map.of("OPTIN_JAVA_OPTS", "-Xmx1g", "HOME", "/home/someone", "optin_lower", "x"));

    // Then
    assertThat(settings.describe()).isEqualTo(Settings.defaults().describe());
  }

  @Test
  void shouldRefuseAMalformedDurationNamingTheSettingAndItsSource() throws IOException {
    // Given
    Path file = file("otp.expiry=ten minutes\n");

    // When / Then
    assertThatThrownBy(() -> Settings.load(Optional.of(file), Map.of()))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith(
            "otp.expiry=ten minutes from file " + file + ": 'ten minutes' is not a duration");
  }

  @Test
  void shouldRefuseAMalformedIntegerNamingTheVariable() {
    assertThatThrownBy(() -> Settings.load(Optional.empty(), Map.of("OPTIN_HTTP_PORT", "80a")))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "http.port=80a from environment variable OPTIN_HTTP_PORT: '80a' is not a whole number");
  }

  @Test
  void shouldRefuseValuesOutOfRange() {
    assertThatThrownBy(() -> Settings.load(Optional.empty(), Map.of("OPTIN_OTP_LENGTH", "12")))
        .hasMessage(
            "otp.length=12 from environment variable OPTIN_OTP_LENGTH: must be between 4 and 10");
    assertThatThrownBy(() -> Settings.load(Optional.empty(), Map.of("OPTIN_OTP_EXPIRY", "2h")))
        .hasMessage(
            "otp.expiry=2h from environment variable OPTIN_OTP_EXPIRY: must be between 1m and 1h");
    assertThatThrownBy(
            () -> Settings.load(Optional.empty(), Map.of("OPTIN_TOPICS_REPLICATION_FACTOR", "0")))
        .hasMessageContaining("topics.replication.factor=0")
        .hasMessageContaining("must be -1 (the broker's default) or between 1 and 32767");
  }

  @Test
  void shouldReportEveryProblemAtOnce() throws IOException {
    // Given
    Path file = file("otp.length=3\nno.such.key=1\n");

    // When / Then
    assertThatThrownBy(
            () -> Settings.load(Optional.of(file), Map.of("OPTIN_SMS_RATE_PER_SECOND", "fast")))
        .isInstanceOfSatisfying(SettingsException.class, e -> assertThat(e.problems()).hasSize(3))
        .hasMessageContaining("otp.length=3")
        .hasMessageContaining("no.such.key")
        .hasMessageContaining("OPTIN_SMS_RATE_PER_SECOND");
  }

  @Test
  void shouldMaskSecretsWhenDescribed() throws IOException {
    // Given
    Path file =
        file(
            "twilio.auth.token=test-auth-token\nschema.registry.basic.auth.user.info=me:test-password\n"
                + "kafka.ssl.key.password=test-key-password\n");

    // When
    Settings settings =
        Settings.load(Optional.of(file), Map.of("OPTIN_API_TOKENS", "test-api-token"));

    // Then
    assertThat(settings.describe())
        .contains("twilio.auth.token = **** (file " + file + ")")
        .contains("api.tokens = **** (environment variable OPTIN_API_TOKENS)")
        .contains("kafka.ssl.key.password = ****")
        .contains("otp.secret = (not set)")
        .contains("otp.length = 6 (default)")
        .doesNotContain("test-auth-token", "test-password", "test-key-password", "test-api-token");
    assertThat(settings.toString()).doesNotContain("test-auth-token", "test-password");
    assertThat(settings.optional(SCHEMA_REGISTRY_USER_INFO)).contains("me:test-password");
  }

  @Test
  void shouldNotShowARefusedSecret() {
    assertThatThrownBy(
            () -> Settings.load(Optional.empty(), Map.of("OPTIN_OTP_SECRET", "short-secret")))
        .hasMessage(
            "otp.secret=**** from environment variable OPTIN_OTP_SECRET: must be at least 32 bytes long (generate one with `openssl rand -base64 48`)");
  }

  @Test
  void shouldPutABlankValueBackToItsDefault() throws IOException {
    // Given
    Path file = file("otp.length=8\ntwilio.from=+15005550006\n");

    // When
    Settings settings =
        Settings.load(Optional.of(file), Map.of("OPTIN_OTP_LENGTH", " ", "OPTIN_TWILIO_FROM", ""));

    // Then
    assertThat(settings.integer(OTP_LENGTH)).isEqualTo(6);
    assertThat(settings.optional(SettingsCatalogue.TWILIO_FROM)).isEmpty();
  }

  @Test
  void shouldSayHowToSetARequiredSettingThatIsMissing() {
    assertThatThrownBy(() -> Settings.defaults().string(OTP_SECRET))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "otp.secret is not set: set it in the --config file or with the environment variable "
                + "OPTIN_OTP_SECRET");
  }

  @Test
  void shouldApplyOverridesOnTopCheckedLikeTheRest() {
    // When
    Settings settings =
        Settings.defaults().with(Map.of("topics.partitions", "3"), "option --partitions");

    // Then
    assertThat(settings.integer(TOPICS_PARTITIONS)).isEqualTo(3);
    assertThat(settings.origin(TOPICS_PARTITIONS)).isEqualTo("option --partitions");
    assertThatThrownBy(
            () -> Settings.defaults().with(Map.of("topics.partitions", "0"), "option --partitions"))
        .hasMessage("topics.partitions=0 from option --partitions: must be between 1 and 10000");
  }

  @Test
  void shouldRefuseAFileThatCannotBeRead() {
    Path missing = dir.resolve("missing.properties");
    assertThatThrownBy(() -> Settings.load(Optional.of(missing), Map.of()))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("cannot read settings file " + missing);
  }

  @Test
  void shouldRefuseCountriesThatAreNotIsoCodes() {
    assertThatThrownBy(
            () ->
                Settings.load(
                    Optional.empty(), Map.of("OPTIN_LIMITS_COUNTRIES_ALLOWED", "US,France")))
        .hasMessageContaining("limits.countries.allowed=US,France")
        .hasMessageContaining("[France]");
    assertThat(
            Settings.load(Optional.empty(), Map.of("OPTIN_LIMITS_COUNTRIES_ALLOWED", "US, FR"))
                .list(SettingsCatalogue.LIMITS_COUNTRIES_ALLOWED))
        .asInstanceOf(LIST)
        .containsExactly("US", "FR");
  }

  @Test
  void shouldReadFamiliesOfNamedKeysFromTheFileOnly() throws IOException {
    // Given
    Path file =
        file(
            "templates.acme.fr.confirmation_code={brand}: code {code}, {minutes} min\n"
                + "replies.keywords.confirm.*.fr=D'ACCORD\n");

    // When
    Settings settings = Settings.load(Optional.of(file), Map.of());

    // Then
    assertThat(settings.family("templates."))
        .containsExactly(
            Map.entry(
                "templates.acme.fr.confirmation_code", "{brand}: code {code}, {minutes} min"));
    assertThat(settings.family("replies.keywords."))
        .containsExactly(Map.entry("replies.keywords.confirm.*.fr", "D'ACCORD"));
    assertThatThrownBy(
            () -> Settings.load(Optional.empty(), Map.of("OPTIN_TEMPLATES_ACME_FR_HELP", "x")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("OPTIN_TEMPLATES_ACME_FR_HELP");
    assertThatThrownBy(() -> settings.family("brands."))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRefuseBrandsThatAreNotProgramBrandPairs() {
    // When
    Settings settings =
        Settings.load(
            Optional.empty(), Map.of("OPTIN_PROGRAMS_BRANDS", "acme=Acme Markets, news=Daily"));

    // Then
    assertThat(settings.list(SettingsCatalogue.PROGRAMS_BRANDS))
        .containsExactly("acme=Acme Markets", "news=Daily");
    assertThatThrownBy(
            () -> Settings.load(Optional.empty(), Map.of("OPTIN_PROGRAMS_BRANDS", "acme")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("must be programId=Brand pairs (not [acme])");
  }

  private Path file(String content) throws IOException {
    Path file = dir.resolve("optin.properties");
    Files.writeString(file, content);
    return file;
  }
}
