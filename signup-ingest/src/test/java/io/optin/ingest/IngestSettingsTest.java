package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.kit.config.Setting;
import io.optin.kit.config.SettingsCatalogue;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IngestSettingsTest {

  @Test
  void shouldNormaliseTheAllowedCountriesAndAllowAllWhenEmpty() {
    IngestSettings settings =
        new IngestSettings(
            3, 20, Set.of(" us", "ca ", ""), Duration.ofHours(12), 100_000, Duration.ofSeconds(5));

    assertThat(settings.allowedCountries()).containsExactlyInAnyOrder("US", "CA");
    assertThat(settings.allowsCountry("US")).isTrue();
    assertThat(settings.allowsCountry("FR")).isFalse();
    assertThat(IngestSettings.defaults().allowsCountry("FR")).isTrue();
  }

  @Test
  void shouldDefaultThePrefixCountryAndPumpingLimitsToTheCatalogue() {
    IngestSettings defaults = IngestSettings.defaults();

    assertThat(
            List.of(
                defaults.signupsPerPhonePerHour(),
                defaults.signupsPerIpPerHour(),
                defaults.prefixDigits(),
                defaults.signupsPerPrefixPerHour(),
                defaults.signupsPerCountryPerHour(),
                defaults.pumping().minSends(),
                defaults.pumping().minConfirmPercent()))
        .containsExactly(
            catalogued(SettingsCatalogue.LIMITS_PHONE_PER_HOUR),
            catalogued(SettingsCatalogue.LIMITS_IP_PER_HOUR),
            catalogued(SettingsCatalogue.LIMITS_PREFIX_DIGITS),
            catalogued(SettingsCatalogue.LIMITS_PREFIX_PER_HOUR),
            catalogued(SettingsCatalogue.LIMITS_COUNTRY_PER_HOUR),
            catalogued(SettingsCatalogue.LIMITS_PUMPING_MIN_SENDS),
            catalogued(SettingsCatalogue.LIMITS_PUMPING_MIN_CONFIRM_PERCENT));
    assertThat(defaults.pumping().block())
        .isEqualTo(catalogued(SettingsCatalogue.LIMITS_PUMPING_BLOCK));
    assertThat(defaults.withPlaceLimits(7, 40, 900).prefixRule()).isEqualTo(new PrefixRule(7));
  }

  private static <T> T catalogued(Setting<T> setting) {
    return setting.defaultValue().orElseThrow();
  }
}
