package io.optin.devkit;

import io.optin.kit.config.Setting;
import io.optin.kit.config.SettingsCatalogue;
import io.optin.server.DevAuditSecrets;
import io.optin.server.OptinSettings;

/**
 * The settings of the embedded dev stack ({@code dev.*}): the ports of its broker, registry and
 * Twilio sandbox. {@code dev.data.dir} is {@link DevAuditSecrets#DEV_DATA_DIR}, since the
 * production command's {@code optin audit} reads the secrets kept there.
 */
public final class DevSettings {

  public static final Setting<Integer> DEV_BROKER_PORT =
      Setting.port(
          "dev.broker.port", 9092, "Port of the embedded Kafka broker (0 = any free port).");
  public static final Setting<Integer> DEV_REGISTRY_PORT =
      Setting.port(
          "dev.registry.port", 8081, "Port of the embedded Schema Registry (0 = any free port).");
  public static final Setting<Integer> DEV_SANDBOX_PORT =
      Setting.port(
          "dev.sandbox.port", 8082, "Port of the built-in Twilio sandbox (0 = any free port).");

  /** Every setting of the laptop's {@code optin}: the production command's, and the dev stack's. */
  public static final SettingsCatalogue CATALOGUE =
      SettingsCatalogue.union(
          OptinSettings.CATALOGUE,
          SettingsCatalogue.of(
              DevAuditSecrets.DEV_DATA_DIR, DEV_BROKER_PORT, DEV_REGISTRY_PORT, DEV_SANDBOX_PORT));

  private DevSettings() {}
}
