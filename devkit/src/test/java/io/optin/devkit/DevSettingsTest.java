package io.optin.devkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.kit.config.Setting;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import io.optin.server.OptinSettings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The laptop's catalogue: the production command's settings plus the dev stack's. */
class DevSettingsTest {

  @Test
  void shouldAddOnlyTheDevStackToTheProductionCatalogue() {
    assertThat(DevSettings.CATALOGUE.all())
        .containsAll(OptinSettings.CATALOGUE.all())
        .filteredOn(setting -> !OptinSettings.CATALOGUE.contains(setting))
        .extracting(Setting::key)
        .containsExactly("dev.broker.port", "dev.registry.port", "dev.sandbox.port");
    assertThat(DevSettings.CATALOGUE.familyPrefixes())
        .isEqualTo(OptinSettings.CATALOGUE.familyPrefixes());
  }

  @Test
  void shouldHaveDefaultsThatPassTheirOwnChecks() {
    for (Setting<?> setting : DevSettings.CATALOGUE.all()) {
      if (setting.defaultValue().isPresent()) {
        assertThatCode(() -> setting.parse(setting.defaultText()))
            .as(setting.key())
            .doesNotThrowAnyException();
      }
    }
  }

  @Test
  void shouldNameEverySettingInLowerCaseDottedWordsWithADoc() {
    assertThat(DevSettings.CATALOGUE.all())
        .allSatisfy(
            setting -> {
              assertThat(setting.key()).matches("[a-z]+(\\.[a-z]+)+");
              assertThat(setting.doc()).isNotBlank();
            });
  }

  @Test
  void shouldTreatCredentialsAsSecrets() {
    assertThat(DevSettings.CATALOGUE.all())
        .filteredOn(Setting::isSecret)
        .extracting(Setting::key)
        .containsExactlyInAnyOrder(
            "schema.registry.basic.auth.user.info",
            "schema.registry.bearer.token",
            "schema.registry.oauth.client.secret",
            "schema.registry.ssl.truststore.password",
            "schema.registry.ssl.keystore.password",
            "schema.registry.ssl.key.password",
            "api.tokens",
            "twilio.auth.token",
            "twilio.api.key.secret",
            "otp.secret",
            "audit.subject.secret",
            "audit.master.key",
            "audit.signing.key",
            "audit.archive.jdbc.password",
            "webhooks.secret");
    assertThat(Setting.isSecretKey("kafka.sasl.jaas.config")).isTrue();
    assertThat(Setting.isSecretKey("audit.signing.public.key"))
        .as("a public key is no secret")
        .isFalse();
  }

  @Test
  void shouldSuggestTheClosestSettingOfAnyModuleForATypo() {
    assertThatThrownBy(
            () ->
                Settings.load(
                    DevSettings.CATALOGUE,
                    Optional.empty(),
                    Map.of(
                        "OPTIN_DEV_BROKER_PROT", "9093",
                        "OPTIN_LIMITS_PHONE_PER_HOURS", "3",
                        "OPTIN_REPLIES_ANSWER_WAITS", "1s")))
        .isInstanceOfSatisfying(
            SettingsException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "unknown setting in environment variable OPTIN_DEV_BROKER_PROT: no setting"
                            + " is named 'dev.broker.prot' (did you mean dev.broker.port?)",
                        "unknown setting in environment variable OPTIN_LIMITS_PHONE_PER_HOURS: no"
                            + " setting is named 'limits.phone.per.hours' (did you mean"
                            + " limits.phone.per.hour?)",
                        "unknown setting in environment variable OPTIN_REPLIES_ANSWER_WAITS: no"
                            + " setting is named 'replies.answer.waits' (did you mean"
                            + " replies.answer.wait?)"));
  }
}
