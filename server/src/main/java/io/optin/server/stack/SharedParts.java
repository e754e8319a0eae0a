package io.optin.server.stack;

import static io.optin.kit.config.ProcessSettings.SCHEMA_REGISTRY_AUTO_REGISTER;
import static io.optin.kit.config.SharedSettings.OTP_LENGTH;
import static io.optin.kit.config.SharedSettings.OTP_SECRET;

import io.optin.audit.AuditSettings;
import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.schemas.registry.RestSchemaRegistryClient;
import io.optin.schemas.registry.SchemaRegistrySettings;
import io.optin.schemas.serde.AvroSerdes;

/**
 * What every service of a process shares, built once: the Avro serdes over one registry client (one
 * cache of schema ids), the metrics, and, when a service needs them, the one-time codes and the
 * audit subject keys (so a process running only ingest needs no {@code otp.secret}).
 */
final class SharedParts {

  private final Settings settings;
  private final AvroSerdes serdes;
  private final OptinMetrics metrics;
  private OtpCodes codes;
  private SubjectKeys subjectKeys;

  private SharedParts(Settings settings, AvroSerdes serdes, OptinMetrics metrics) {
    this.settings = settings;
    this.serdes = serdes;
    this.metrics = metrics;
  }

  static SharedParts from(Settings settings, OptinMetrics metrics) {
    return new SharedParts(settings, serdes(settings), metrics);
  }

  AvroSerdes serdes() {
    return serdes;
  }

  OptinMetrics metrics() {
    return metrics;
  }

  /**
   * @throws SettingsException when {@code otp.secret} is not set
   */
  synchronized OtpCodes codes() {
    if (codes == null) {
      codes = codes(settings);
    }
    return codes;
  }

  /**
   * The one-time codes of {@code otp.secret} and {@code otp.length}.
   *
   * @throws SettingsException when {@code otp.secret} is not set or refused
   */
  static OtpCodes codes(Settings settings) {
    return SettingsException.checked(
        () -> OtpCodes.fromSettings(settings.string(OTP_SECRET), settings.integer(OTP_LENGTH)));
  }

  /**
   * @throws SettingsException when neither {@code audit.subject.secret} nor {@code otp.secret} is
   *     set
   */
  synchronized SubjectKeys subjectKeys() {
    if (subjectKeys == null) {
      subjectKeys = AuditSettings.subjectKeys(settings);
    }
    return subjectKeys;
  }

  /**
   * Serdes over {@code schema.registry.url}, with the authentication and TLS stores the {@code
   * schema.registry.*} settings give.
   */
  static AvroSerdes serdes(Settings settings) {
    return new AvroSerdes(
        new RestSchemaRegistryClient(registry(settings)),
        settings.bool(SCHEMA_REGISTRY_AUTO_REGISTER));
  }

  /**
   * The registry's client settings ({@link ProcessSettings#schemaRegistry}), checked without any
   * request.
   *
   * @throws SettingsException when the URL, the authentication or a TLS store is refused
   */
  static SchemaRegistrySettings registry(Settings settings) {
    return ProcessSettings.schemaRegistry(settings);
  }
}
