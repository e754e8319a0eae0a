package io.optin.kit.config;

import static io.optin.kit.config.ProcessSettings.API_TOKENS;
import static io.optin.kit.config.ProcessSettings.HTTP_PORT;
import static io.optin.kit.config.ProcessSettings.KAFKA_BOOTSTRAP_SERVERS;
import static io.optin.kit.config.ProcessSettings.SCHEMA_REGISTRY_AUTO_REGISTER;
import static io.optin.kit.config.ProcessSettings.SCHEMA_REGISTRY_USER_INFO;
import static io.optin.kit.config.SharedSettings.OTP_LENGTH;
import static io.optin.kit.config.SharedSettings.OTP_SECRET;
import static io.optin.kit.config.SharedSettings.TWILIO_AUTH_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine, on the settings of service-kit plus a few of a module of its own. */
class SettingsTest {

  /** A module's own settings, as a service module declares them. */
  static final Setting<Duration> EXPIRY =
      Setting.duration(
          "test.expiry",
          Duration.ofMinutes(10),
          Duration.ofMinutes(1),
          Duration.ofHours(1),
          "How long a test lasts.");

  static final Setting<Integer> PARTITIONS =
      Setting.integer("test.partitions", 6, 1, 10_000, "Partitions of a test.");

  static final Setting<Duration> RETENTION =
      Setting.of(
          "test.retention",
          ValueType.RETENTION,
          ValueType.INFINITE,
          value -> value.isNegative() || value.toDays() >= 1 ? null : "must be infinite or 1d+",
          "infinite, or 1d or more",
          "Retention of a test.");

  static final Setting<String> FROM = Setting.optionalText("test.from", "Sender of a test.");

  static final SettingsCatalogue CATALOGUE =
      SettingsCatalogue.union(
          ProcessSettings.CATALOGUE,
          SharedSettings.CATALOGUE,
          SettingsCatalogue.of(EXPIRY, PARTITIONS, RETENTION, FROM)
              .withFamily("templates.")
              .withFamily("replies.keywords."));

  @TempDir Path dir;

  @Test
  void shouldUseTheCatalogueDefaultsWhenNothingIsSet() {
    // When
    Settings settings = Settings.load(CATALOGUE, Optional.empty(), Map.of("PATH", "/usr/bin"));

    // Then
    assertThat(settings.string(KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("127.0.0.1:9092");
    assertThat(settings.integer(OTP_LENGTH)).isEqualTo(6);
    assertThat(settings.duration(EXPIRY)).isEqualTo(Duration.ofMinutes(10));
    assertThat(settings.bool(SCHEMA_REGISTRY_AUTO_REGISTER)).isTrue();
    assertThat(settings.duration(RETENTION)).isEqualTo(ValueType.INFINITE);
    assertThat(settings.list(API_TOKENS)).isEmpty();
    assertThat(settings.optional(TWILIO_AUTH_TOKEN)).isEmpty();
    assertThat(settings.origin(OTP_LENGTH)).isEqualTo("default");
  }

  @Test
  void shouldLetTheFileOverrideDefaultsAndTheEnvironmentOverrideTheFile() throws IOException {
    // Given
    Path file = file("otp.length=8\ntest.expiry=5m\nhttp.port=9000\n");

    // When
    Settings settings =
        Settings.load(CATALOGUE, Optional.of(file), Map.of("OPTIN_TEST_EXPIRY", "PT15M"));

    // Then
    assertThat(settings.integer(OTP_LENGTH)).isEqualTo(8);
    assertThat(settings.origin(OTP_LENGTH)).isEqualTo("file " + file);
    assertThat(settings.duration(EXPIRY)).isEqualTo(Duration.ofMinutes(15));
    assertThat(settings.origin(EXPIRY)).isEqualTo("environment variable OPTIN_TEST_EXPIRY");
    assertThat(settings.integer(HTTP_PORT)).isEqualTo(9000);
  }

  @Test
  void shouldMapEnvironmentVariablesToKeysInUpperCaseWithUnderscores() {
    // When
    Settings settings =
        Settings.load(
            CATALOGUE,
            Optional.empty(),
            Map.of(
                "OPTIN_SCHEMA_REGISTRY_AUTO_REGISTER", "FALSE",
                "OPTIN_TEST_PARTITIONS", "12",
                "OPTIN_API_TOKENS", "first-token, second-token"));

    // Then
    assertThat(settings.bool(SCHEMA_REGISTRY_AUTO_REGISTER)).isFalse();
    assertThat(settings.integer(PARTITIONS)).isEqualTo(12);
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
    Settings settings = Settings.load(CATALOGUE, Optional.of(file), env);

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
    Path file = file("test.expiri=5m\n");

    // When / Then
    assertThatThrownBy(() -> Settings.load(CATALOGUE, Optional.of(file), Map.of()))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "unknown setting 'test.expiri' in file " + file + " (did you mean test.expiry?)");
  }

  @Test
  void shouldRefuseAnUnknownOptinVariable() {
    assertThatThrownBy(
            () -> Settings.load(CATALOGUE, Optional.empty(), Map.of("OPTIN_HTTP_PROT", "8080")))
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
            CATALOGUE,
            Optional.empty(),
            Map.of("OPTIN_JAVA_OPTS", "-Xmx1g", "HOME", "/home/someone", "optin_lower", "x"));

    // Then
    assertThat(settings.describe()).isEqualTo(Settings.defaults(CATALOGUE).describe());
  }

  @Test
  void shouldRefuseAMalformedDurationNamingTheSettingAndItsSource() throws IOException {
    // Given
    Path file = file("test.expiry=ten minutes\n");

    // When / Then
    assertThatThrownBy(() -> Settings.load(CATALOGUE, Optional.of(file), Map.of()))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith(
            "test.expiry=ten minutes from file " + file + ": 'ten minutes' is not a duration");
  }

  @Test
  void shouldRefuseAMalformedIntegerNamingTheVariable() {
    assertThatThrownBy(
            () -> Settings.load(CATALOGUE, Optional.empty(), Map.of("OPTIN_HTTP_PORT", "80a")))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "http.port=80a from environment variable OPTIN_HTTP_PORT: '80a' is not a whole number");
  }

  @Test
  void shouldRefuseValuesOutOfRange() {
    assertThatThrownBy(
            () -> Settings.load(CATALOGUE, Optional.empty(), Map.of("OPTIN_OTP_LENGTH", "12")))
        .hasMessage(
            "otp.length=12 from environment variable OPTIN_OTP_LENGTH: must be between 4 and 10");
    assertThatThrownBy(
            () -> Settings.load(CATALOGUE, Optional.empty(), Map.of("OPTIN_TEST_EXPIRY", "2h")))
        .hasMessage(
            "test.expiry=2h from environment variable OPTIN_TEST_EXPIRY: must be between 1m and 1h");
    assertThatThrownBy(
            () -> Settings.load(CATALOGUE, Optional.empty(), Map.of("OPTIN_TEST_RETENTION", "2h")))
        .hasMessage(
            "test.retention=2h from environment variable OPTIN_TEST_RETENTION: must be infinite or 1d+");
  }

  @Test
  void shouldReportEveryProblemAtOnce() throws IOException {
    // Given
    Path file = file("otp.length=3\nno.such.key=1\n");

    // When / Then
    assertThatThrownBy(
            () -> Settings.load(CATALOGUE, Optional.of(file), Map.of("OPTIN_HTTP_THREADS", "many")))
        .isInstanceOfSatisfying(SettingsException.class, e -> assertThat(e.problems()).hasSize(3))
        .hasMessageContaining("otp.length=3")
        .hasMessageContaining("no.such.key")
        .hasMessageContaining("OPTIN_HTTP_THREADS");
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
        Settings.load(CATALOGUE, Optional.of(file), Map.of("OPTIN_API_TOKENS", "test-api-token"));

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
            () ->
                Settings.load(
                    CATALOGUE, Optional.empty(), Map.of("OPTIN_OTP_SECRET", "short-secret")))
        .hasMessage(
            "otp.secret=**** from environment variable OPTIN_OTP_SECRET: must be at least 32 bytes long (generate one with `openssl rand -base64 48`)");
  }

  @Test
  void shouldPutABlankValueBackToItsDefault() throws IOException {
    // Given
    Path file = file("otp.length=8\ntest.from=+15005550006\n");

    // When
    Settings settings =
        Settings.load(
            CATALOGUE, Optional.of(file), Map.of("OPTIN_OTP_LENGTH", " ", "OPTIN_TEST_FROM", ""));

    // Then
    assertThat(settings.integer(OTP_LENGTH)).isEqualTo(6);
    assertThat(settings.optional(FROM)).isEmpty();
  }

  @Test
  void shouldSayHowToSetARequiredSettingThatIsMissing() {
    assertThatThrownBy(() -> Settings.defaults(CATALOGUE).string(OTP_SECRET))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "otp.secret is not set: set it in the --config file or with the environment variable "
                + "OPTIN_OTP_SECRET");
  }

  @Test
  void shouldApplyOverridesOnTopCheckedLikeTheRest() {
    // When
    Settings settings =
        Settings.defaults(CATALOGUE).with(Map.of("test.partitions", "3"), "option --partitions");

    // Then
    assertThat(settings.integer(PARTITIONS)).isEqualTo(3);
    assertThat(settings.origin(PARTITIONS)).isEqualTo("option --partitions");
    assertThatThrownBy(
            () ->
                Settings.defaults(CATALOGUE)
                    .with(Map.of("test.partitions", "0"), "option --partitions"))
        .hasMessage("test.partitions=0 from option --partitions: must be between 1 and 10000");
  }

  @Test
  void shouldRefuseAFileThatCannotBeRead() {
    Path missing = dir.resolve("missing.properties");
    assertThatThrownBy(() -> Settings.load(CATALOGUE, Optional.of(missing), Map.of()))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("cannot read settings file " + missing);
  }

  @Test
  void shouldReadFamiliesOfNamedKeysFromTheFileOnly() throws IOException {
    // Given
    Path file =
        file(
            "templates.acme.fr.confirmation_code={brand}: code {code}, {minutes} min\n"
                + "replies.keywords.confirm.*.fr=D'ACCORD\n");

    // When
    Settings settings = Settings.load(CATALOGUE, Optional.of(file), Map.of());

    // Then
    assertThat(settings.family("templates."))
        .containsExactly(
            Map.entry(
                "templates.acme.fr.confirmation_code", "{brand}: code {code}, {minutes} min"));
    assertThat(settings.family("replies.keywords."))
        .containsExactly(Map.entry("replies.keywords.confirm.*.fr", "D'ACCORD"));
    assertThatThrownBy(
            () ->
                Settings.load(
                    CATALOGUE, Optional.empty(), Map.of("OPTIN_TEMPLATES_ACME_FR_HELP", "x")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("OPTIN_TEMPLATES_ACME_FR_HELP");
    assertThatThrownBy(() -> settings.family("brands."))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRefuseToReadASettingOutsideItsCatalogue() {
    // Given settings read for the process only
    Settings settings = Settings.defaults(ProcessSettings.CATALOGUE);

    // When / Then: a module's setting cannot silently fall back to its default
    assertThatThrownBy(() -> settings.duration(EXPIRY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("setting test.expiry is not in the catalogue these settings were read for");
    assertThatThrownBy(() -> settings.family("templates."))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRefuseTheKeysOfAnotherCatalogue() throws IOException {
    // Given
    Path file = file("test.expiry=5m\ntemplates.acme.fr.help=Help\n");

    // When / Then
    assertThatThrownBy(() -> Settings.load(ProcessSettings.CATALOGUE, Optional.of(file), Map.of()))
        .isInstanceOfSatisfying(
            SettingsException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "unknown setting 'templates.acme.fr.help' in file "
                            + file
                            + " (see docs/settings.md)",
                        "unknown setting 'test.expiry' in file "
                            + file
                            + " (see docs/settings.md)"));
  }

  private Path file(String content) throws IOException {
    Path file = dir.resolve("optin.properties");
    Files.writeString(file, content);
    return file;
  }
}
