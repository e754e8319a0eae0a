package io.optin.dispatcher;

import io.optin.kit.config.Settings;
import java.util.Map;

/**
 * The dispatcher's settings as a deployment would have them: the catalogue's defaults, then these.
 */
public final class TestDispatcherSettings {

  private TestDispatcherSettings() {}

  /** The defaults overridden by {@code values} (key to text, as in a settings file). */
  public static Settings with(Map<String, String> values) {
    return Settings.defaults(DispatcherSettings.CATALOGUE).with(values, "test");
  }
}
