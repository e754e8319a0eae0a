package io.optin.server.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/**
 * Builds commands and options for picocli, handing {@link ConfigOption} the environment to read
 * settings from.
 */
public final class CommandFactory implements IFactory {

  private final Map<String, String> environment;

  public CommandFactory(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    if (type == ConfigOption.class) {
      return type.cast(new ConfigOption(environment));
    }
    return CommandLine.defaultFactory().create(type);
  }
}
