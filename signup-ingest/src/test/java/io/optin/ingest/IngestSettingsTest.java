package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
  void shouldNameTheSettingThatIsMalformed() {
    assertThatThrownBy(() -> IngestSettings.from(Map.of(IngestSettings.PER_IP, "many")))
        .hasMessageContaining(IngestSettings.PER_IP);
    assertThatThrownBy(() -> IngestSettings.from(Map.of(IngestSettings.PUBLISH_TIMEOUT, "soon")))
        .hasMessageContaining(IngestSettings.PUBLISH_TIMEOUT);
  }
}
