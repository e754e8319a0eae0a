package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.domain.screening.SignupScreen;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import io.optin.kit.config.SharedSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IngestSettingsTest {

  @Test
  void shouldReadTheFrontDoorSettingsFromTheEnvironment() {
    // Given
    Settings settings =
        Settings.load(
            IngestSettings.CATALOGUE,
            Optional.empty(),
            Map.ofEntries(
                Map.entry("OPTIN_LIMITS_PHONE_PER_HOUR", "3"),
                Map.entry("OPTIN_LIMITS_IP_PER_HOUR", "30"),
                Map.entry("OPTIN_LIMITS_COUNTRIES_ALLOWED", "US, FR"),
                Map.entry("OPTIN_INGEST_IDEMPOTENCY_TTL", "2h"),
                Map.entry("OPTIN_INGEST_IDEMPOTENCY_MAX_KEYS", "1000"),
                Map.entry("OPTIN_INGEST_PUBLISH_TIMEOUT", "4s"),
                Map.entry("OPTIN_LIMITS_PREFIX_DIGITS", "7"),
                Map.entry("OPTIN_LIMITS_PREFIX_PER_HOUR", "40"),
                Map.entry("OPTIN_LIMITS_COUNTRY_PER_HOUR", "900"),
                Map.entry("OPTIN_LIMITS_PUMPING_MIN_SENDS", "30"),
                Map.entry("OPTIN_LIMITS_PUMPING_MIN_CONFIRM_PERCENT", "25"),
                Map.entry("OPTIN_LIMITS_PUMPING_BLOCK", "2h"),
                Map.entry("OPTIN_PROGRAMS_ALLOWED", "acme-deals,news"),
                Map.entry("OPTIN_INGEST_LIMITS_CLUSTER_WIDE", "false"),
                Map.entry("OPTIN_INGEST_CLAIM_TIMEOUT", "750ms")));

    // When
    IngestSettings ingest = IngestSettings.from(settings);

    // Then
    assertThat(ingest)
        .isEqualTo(
            new IngestSettings(
                3,
                30,
                Set.of("US", "FR"),
                Duration.ofHours(2),
                1000,
                Duration.ofSeconds(4),
                7,
                40,
                900,
                new PumpingRule(30, 25, Duration.ofHours(2)),
                Set.of("acme-deals", "news"),
                false,
                Duration.ofMillis(750)));
    assertThat(ingest.prefixRule()).isEqualTo(new PrefixRule(7));
    assertThat(ingest.allowsCountry("FR")).isTrue();
    assertThat(ingest.allowsCountry("DE")).isFalse();
    assertThat(ingest.allowsProgram("news")).isTrue();
    assertThat(ingest.allowsProgram("other")).isFalse();
  }

  @Test
  void shouldTakeTheDocumentedDefaultsWhenNothingIsSet() {
    // When
    IngestSettings ingest = IngestSettings.from(Settings.defaults(IngestSettings.CATALOGUE));

    // Then
    assertThat(ingest)
        .isEqualTo(
            new IngestSettings(
                5,
                20,
                Set.of(),
                Duration.ofHours(24),
                100_000,
                Duration.ofSeconds(15),
                6,
                200,
                2_000,
                new PumpingRule(50, 10, Duration.ofHours(1)),
                Set.of(),
                true,
                Duration.ofSeconds(5)));
    assertThat(ingest.allowsCountry("FR")).as("an empty list allows every country").isTrue();
    assertThat(ingest.allowsProgram("any")).as("an empty list allows every program").isTrue();
  }

  @Test
  void shouldRefuseOutOfRangeValuesNamingTheSetting() {
    assertThatThrownBy(
            () ->
                Settings.load(
                    IngestSettings.CATALOGUE,
                    Optional.empty(),
                    Map.of(
                        "OPTIN_LIMITS_PREFIX_DIGITS", "0",
                        "OPTIN_LIMITS_PUMPING_MIN_CONFIRM_PERCENT", "101",
                        "OPTIN_LIMITS_PUMPING_BLOCK", "0s")))
        .isInstanceOfSatisfying(
            SettingsException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "limits.prefix.digits=0 from environment variable "
                            + "OPTIN_LIMITS_PREFIX_DIGITS: must be between 3 and 12",
                        "limits.pumping.block=0s from environment variable "
                            + "OPTIN_LIMITS_PUMPING_BLOCK: must be between 1m and 7d",
                        "limits.pumping.min.confirm.percent=101 from environment variable "
                            + "OPTIN_LIMITS_PUMPING_MIN_CONFIRM_PERCENT: must be between 0 and 100"));
  }

  @Test
  void shouldRefuseCountriesThatAreNotIsoCodes() {
    assertThatThrownBy(
            () ->
                Settings.load(
                    IngestSettings.CATALOGUE,
                    Optional.empty(),
                    Map.of("OPTIN_LIMITS_COUNTRIES_ALLOWED", "US,France")))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "limits.countries.allowed=US,France from environment variable "
                + "OPTIN_LIMITS_COUNTRIES_ALLOWED: must be two-letter ISO 3166 country codes in "
                + "capitals, like US,FR (not [France])");
  }

  @Test
  void shouldRefuseProgramIdsNoSignupCouldName() {
    assertThatThrownBy(
            () ->
                Settings.load(
                    IngestSettings.CATALOGUE,
                    Optional.empty(),
                    Map.of("OPTIN_PROGRAMS_ALLOWED", "acme-deals,acme:deals")))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "programs.allowed=acme-deals,acme:deals from environment variable "
                + "OPTIN_PROGRAMS_ALLOWED: must be program ids: visible ASCII without ':', at most "
                + "128 characters (not [acme:deals])");
  }

  @Test
  void shouldDeclareProgramIdsAsLongAsTheSignupScreenAccepts() {
    // The shared declaration cannot see the screen (service-kit does not depend on domain)
    assertThat(SharedSettings.MAX_PROGRAM_ID).isEqualTo(SignupScreen.MAX_ID);
  }
}
