package io.optin.server.cli;

import io.optin.kit.config.SettingsCatalogue;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/**
 * Builds commands and options for picocli, handing {@link ConfigOption} the environment to read
 * settings from and the catalogue of the settings the command line knows.
 */
public final class CommandFactory implements IFactory {

  private final Map<String, String> environment;
  private final SettingsCatalogue catalogue;

  public CommandFactory(Map<String, String> environment, SettingsCatalogue catalogue) {
    this.environment = Map.copyOf(environment);
    this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    if (type == ConfigOption.class) {
      return type.cast(new ConfigOption(environment, catalogue));
    }
    return CommandLine.defaultFactory().create(type);
  }
}
