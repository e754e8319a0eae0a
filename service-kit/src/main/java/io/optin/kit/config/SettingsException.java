package io.optin.kit.config;

import java.util.List;

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
