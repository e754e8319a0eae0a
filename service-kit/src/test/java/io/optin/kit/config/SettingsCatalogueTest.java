package io.optin.kit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class SettingsCatalogueTest {

  @Test
  void shouldHaveDefaultsThatPassTheirOwnChecks() {
    for (Setting<?> setting : SettingsCatalogue.all()) {
      if (setting.defaultValue().isPresent()) {
        assertThatCode(() -> setting.parse(setting.defaultText()))
            .as(setting.key())
            .doesNotThrowAnyException();
      }
    }
  }

  @Test
  void shouldNameEverySettingInLowerCaseDottedWordsWithADoc() {
    assertThat(SettingsCatalogue.all())
        .allSatisfy(
            setting -> {
              assertThat(setting.key()).matches("[a-z]+(\\.[a-z]+)+");
              assertThat(setting.doc()).isNotBlank();
            });
  }

  @Test
  void shouldTreatCredentialsAsSecrets() {
    assertThat(SettingsCatalogue.all())
        .filteredOn(Setting::isSecret)
        .extracting(Setting::key)
        .containsExactlyInAnyOrder(
            "schema.registry.basic.auth.user.info",
            "api.tokens",
            "twilio.auth.token",
            "twilio.api.key.secret",
            "otp.secret",
            "audit.subject.secret",
            "audit.master.key",
            "audit.signing.key",
            "audit.archive.jdbc.password");
    assertThat(Setting.isSecretKey("kafka.sasl.jaas.config")).isTrue();
    assertThat(Setting.isSecretKey("audit.signing.public.key"))
        .as("a public key is no secret")
        .isFalse();
  }

  @Test
  void shouldFindSettingsByKeyAndByVariable() {
    assertThat(SettingsCatalogue.find("otp.expiry")).contains(SettingsCatalogue.OTP_EXPIRY);
    assertThat(SettingsCatalogue.findByEnvironmentVariable("OPTIN_OTP_EXPIRY"))
        .contains(SettingsCatalogue.OTP_EXPIRY);
    assertThat(SettingsCatalogue.isKafkaPassThrough("kafka.acks")).isTrue();
    assertThat(SettingsCatalogue.isKafkaPassThrough("kafka.")).isFalse();
    assertThat(SettingsCatalogue.closestKey("completely.different.words")).isEmpty();
  }
}
