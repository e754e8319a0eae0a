package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.schemas.config.Setting;
import io.optin.schemas.config.SettingsCatalogue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IngestSettingsTest {

  @Test
  void shouldReadEverySettingAndDefaultTheRest() {
    IngestSettings settings = IngestSettings.from(Map.of(
        IngestSettings.PER_PHONE, "3",
        IngestSettings.COUNTRIES, "us, ca",
        IngestSettings.IDEMPOTENCY_TTL, "PT12H",
        IngestSettings.PUBLISH_TIMEOUT, "5s"));

    assertThat(settings).isEqualTo(new IngestSettings(3, 20, Set.of("US", "CA"), Duration.ofHours(12), 100_000,
        Duration.ofSeconds(5)));
    assertThat(settings.allowsCountry("US")).isTrue();
    assertThat(settings.allowsCountry("FR")).isFalse();
    assertThat(IngestSettings.defaults().allowsCountry("FR")).isTrue();
  }

  @Test
  void shouldReadThePrefixCountryAndPumpingLimitsWithTheCatalogueDefaults() {
    IngestSettings settings = IngestSettings.from(Map.of(
        IngestSettings.PREFIX_DIGITS, "7",
        IngestSettings.PER_PREFIX, "40",
        IngestSettings.PER_COUNTRY, "900",
        IngestSettings.PUMPING_MIN_SENDS, "30",
        IngestSettings.PUMPING_MIN_CONFIRM_PERCENT, "25",
        IngestSettings.PUMPING_BLOCK, "2h"));

    assertThat(settings).isEqualTo(IngestSettings.defaults().withPlaceLimits(7, 40, 900)
        .withPumping(new PumpingRule(30, 25, Duration.ofHours(2))));
    assertThat(settings.prefixRule()).isEqualTo(new PrefixRule(7));
    IngestSettings defaults = IngestSettings.defaults();
    assertThat(List.of(defaults.prefixDigits(), defaults.signupsPerPrefixPerHour(),
        defaults.signupsPerCountryPerHour(), defaults.pumping().minSends(), defaults.pumping().minConfirmPercent()))
        .containsExactly(catalogued(SettingsCatalogue.LIMITS_PREFIX_DIGITS),
            catalogued(SettingsCatalogue.LIMITS_PREFIX_PER_HOUR), catalogued(SettingsCatalogue.LIMITS_COUNTRY_PER_HOUR),
            catalogued(SettingsCatalogue.LIMITS_PUMPING_MIN_SENDS),
            catalogued(SettingsCatalogue.LIMITS_PUMPING_MIN_CONFIRM_PERCENT));
    assertThat(defaults.pumping().block()).isEqualTo(catalogued(SettingsCatalogue.LIMITS_PUMPING_BLOCK));
  }

  @Test
  void shouldNameTheSettingThatIsMalformed() {
    assertThatThrownBy(() -> IngestSettings.from(Map.of(IngestSettings.PER_IP, "many")))
        .hasMessageContaining(IngestSettings.PER_IP);
    assertThatThrownBy(() -> IngestSettings.from(Map.of(IngestSettings.PUBLISH_TIMEOUT, "soon")))
        .hasMessageContaining(IngestSettings.PUBLISH_TIMEOUT);
    assertThatThrownBy(() -> IngestSettings.from(Map.of(IngestSettings.PUMPING_MIN_CONFIRM_PERCENT, "150")))
        .hasMessageContaining(IngestSettings.PUMPING_MIN_CONFIRM_PERCENT);
    assertThatThrownBy(() -> IngestSettings.from(Map.of(IngestSettings.PREFIX_DIGITS, "0")))
        .hasMessageContaining(IngestSettings.PREFIX_DIGITS);
  }

  private static <T> T catalogued(Setting<T> setting) {
    return setting.defaultValue().orElseThrow();
  }
}
