package io.optin.server.cli;

import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsCatalogue;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option every command shares, and the settings it leads to. */
public final class ConfigOption {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Settings file (Java properties). OPTIN_* environment variables override it; "
              + "see docs/settings.md.")
  private Path file;

  private final Map<String, String> environment;
  private final SettingsCatalogue catalogue;

  /**
   * Picocli builds it through {@link CommandFactory}, which passes the environment to read and the
   * settings the command line knows.
   */
  public ConfigOption(Map<String, String> environment, SettingsCatalogue catalogue) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
  }

  /**
   * Defaults, then the file, then the environment.
   *
   * @throws io.optin.kit.config.SettingsException when a setting is unknown or malformed
   */
  public Settings load() {
    return Settings.load(catalogue, Optional.ofNullable(file), environment);
  }
}
