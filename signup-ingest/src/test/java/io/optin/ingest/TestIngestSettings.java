package io.optin.ingest;

import io.optin.kit.config.Settings;
import java.util.Map;

/** Front-door settings as a deployment would have them: the catalogue's defaults, then these. */
final class TestIngestSettings {

  private TestIngestSettings() {}

  /** The defaults of every {@code limits.*} and {@code ingest.*} setting. */
  static IngestSettings defaults() {
    return with(Map.of());
  }

  /** The defaults overridden by {@code values} (key to text, as in a settings file). */
  static IngestSettings with(Map<String, String> values) {
    return IngestSettings.from(Settings.defaults(IngestSettings.CATALOGUE).with(values, "test"));
  }
}
