package io.optin.kit.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the raw settings of a properties file or of {@code OPTIN_*} variables, refusing names it
 * does not know.
 */
final class SettingSources {

  /**
   * Variables with the {@code OPTIN_} prefix that are not settings (read by the {@code ./optin}
   * script).
   */
  static final Set<String> NOT_SETTINGS = Set.of("OPTIN_JAVA_OPTS");

  private static final String ENV_PREFIX = "OPTIN_";
  private static final String ENV_KAFKA_PREFIX = "OPTIN_KAFKA_";

  /** One value of one setting, as text, and where it came from. */
  record Assignment(String key, String text, String origin) {}

  private SettingSources() {}

  static List<Assignment> fromFile(Path file, SettingsCatalogue catalogue, List<String> problems) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      problems.add("cannot read settings file " + file + ": " + e);
      return List.of();
    }
    String origin = "file " + file;
    List<Assignment> assignments = new ArrayList<>();
    for (Map.Entry<String, String> entry : sorted(properties).entrySet()) {
      String key = entry.getKey();
      if (catalogue.isKnownKey(key)) {
        assignments.add(new Assignment(key, entry.getValue(), origin));
      } else {
        problems.add("unknown setting '" + key + "' in " + origin + suggestion(catalogue, key));
      }
    }
    return assignments;
  }

  static List<Assignment> fromEnvironment(
      Map<String, String> environment, SettingsCatalogue catalogue, List<String> problems) {
    List<Assignment> assignments = new ArrayList<>();
    for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
      String name = variable.getKey();
      if (!name.startsWith(ENV_PREFIX) || NOT_SETTINGS.contains(name)) {
        continue;
      }
      String origin = "environment variable " + name;
      String key =
          catalogue
              .findByEnvironmentVariable(name)
              .map(Setting::key)
              .orElseGet(() -> passThrough(name));
      if (key == null) {
        String guess =
            name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        problems.add(
            "unknown setting in "
                + origin
                + ": no setting is named '"
                + guess
                + "'"
                + suggestion(catalogue, guess));
      } else {
        assignments.add(new Assignment(key, variable.getValue(), origin));
      }
    }
    return assignments;
  }

  /**
   * {@code OPTIN_KAFKA_SASL_MECHANISM} is {@code kafka.sasl.mechanism}: Kafka's own keys use dots
   * only.
   */
  private static String passThrough(String variable) {
    if (!variable.startsWith(ENV_KAFKA_PREFIX) || variable.length() == ENV_KAFKA_PREFIX.length()) {
      return null;
    }
    return SettingsCatalogue.KAFKA_PREFIX
        + variable.substring(ENV_KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
  }

  private static String suggestion(SettingsCatalogue catalogue, String key) {
    return catalogue
        .closestKey(key)
        .map(known -> " (did you mean " + known + "?)")
        .orElse(" (see docs/settings.md)");
  }

  /** Sorted, so that problems are reported in a stable order. */
  private static Map<String, String> sorted(Properties properties) {
    Map<String, String> map = new TreeMap<>();
    for (String name : properties.stringPropertyNames()) {
      map.put(name, properties.getProperty(name));
    }
    return map;
  }
}
