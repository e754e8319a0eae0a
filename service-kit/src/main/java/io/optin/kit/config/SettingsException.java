package io.optin.kit.config;

import java.util.List;
import java.util.function.Supplier;

/**
 * Settings that cannot be used: start-up stops, and the message names each setting, where its value
 * came from and why it was refused.
 */
public final class SettingsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public SettingsException(String problem) {
    this(List.of(problem));
  }

  public SettingsException(List<String> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * Builds a config from settings, reporting a value the config refuses ({@link
   * IllegalArgumentException}, whose message names the setting) as settings that cannot be used, so
   * it stops start-up like a malformed setting.
   */
  public static <T> T checked(Supplier<T> config) {
    try {
      return config.get();
    } catch (IllegalArgumentException e) {
      throw new SettingsException(e.getMessage());
    }
  }

  /** Each problem found, one sentence each, in the order they were found. */
  public List<String> problems() {
    return problems;
  }

  private static String message(List<String> problems) {
    if (problems.size() == 1) {
      return problems.get(0);
    }
    return "invalid settings:\n  - " + String.join("\n  - ", problems);
  }
}
