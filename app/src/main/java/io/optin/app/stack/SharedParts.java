package io.optin.app.stack;

import static io.optin.schemas.config.SettingsCatalogue.SCHEMA_REGISTRY_AUTO_REGISTER;
import static io.optin.schemas.config.SettingsCatalogue.SCHEMA_REGISTRY_URL;
import static io.optin.schemas.config.SettingsCatalogue.SCHEMA_REGISTRY_USER_INFO;

import io.optin.schemas.config.Settings;
import io.optin.schemas.config.SettingsException;
import io.optin.schemas.metrics.OptinMetrics;
import io.optin.schemas.otp.OtpCodes;
import io.optin.schemas.otp.SubjectKeys;
import io.optin.schemas.registry.RestSchemaRegistryClient;
import io.optin.schemas.registry.SchemaRegistrySettings;
import io.optin.schemas.serde.AvroSerdes;
import org.apache.kafka.common.config.ConfigException;

/**
 * What every service of a process shares, built once: the Avro serdes over one registry client (one cache of
 * schema ids), the one-time codes, the audit subject keys and the metrics.
 */
record SharedParts(AvroSerdes serdes, OtpCodes codes, SubjectKeys subjectKeys, OptinMetrics metrics) {

  static SharedParts from(ServiceConfigs configs, OptinMetrics metrics) {
    return new SharedParts(serdes(configs.settings()), configs.otpCodes(), configs.subjectKeys(), metrics);
  }

  /** Serdes over {@code schema.registry.url}, with basic authentication when its user info is set. */
  static AvroSerdes serdes(Settings settings) {
    try {
      SchemaRegistrySettings registry = SchemaRegistrySettings.of(settings.string(SCHEMA_REGISTRY_URL));
      registry = settings.optional(SCHEMA_REGISTRY_USER_INFO).map(registry::withUserInfo).orElse(registry);
      return new AvroSerdes(new RestSchemaRegistryClient(registry), settings.bool(SCHEMA_REGISTRY_AUTO_REGISTER));
    } catch (ConfigException e) {
      throw new SettingsException(e.getMessage());
    }
  }
}
