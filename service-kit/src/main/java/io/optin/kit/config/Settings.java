package io.optin.kit.config;

import io.optin.kit.config.SettingSources.Assignment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The settings in force for one catalogue: its defaults, overridden by a properties file,
 * overridden by {@code OPTIN_*} environment variables; every value is parsed and checked when
 * loaded, so a bad one stops start-up instead of failing later.
 *
 * <p>A blank value puts a setting back to its default. Values of secret settings are never shown.
 * Reading a setting that is not in the catalogue is a programming error: a value the user cannot
 * set must not silently fall back to its default.
 */
public final class Settings {

  private static final String DEFAULT_ORIGIN = "default";

  /** A parsed value, its text and where it came from. */
  private record Value(Object value, String text, String origin) {}

  private final SettingsCatalogue catalogue;
  private final Map<String, Value> values;

  private Settings(SettingsCatalogue catalogue, Map<String, Value> values) {
    this.catalogue = catalogue;
    this.values = Collections.unmodifiableMap(values);
  }

  /** Only the defaults of {@code catalogue}. */
  public static Settings defaults(SettingsCatalogue catalogue) {
    return load(catalogue, Optional.empty(), Map.of());
  }

  /**
   * Defaults, then {@code file} when given, then the {@code OPTIN_*} variables of {@code
   * environment}.
   *
   * @throws SettingsException naming every unknown or malformed setting and its source
   */
  public static Settings load(
      SettingsCatalogue catalogue, Optional<Path> file, Map<String, String> environment) {
    List<String> problems = new ArrayList<>();
    List<Assignment> assignments = new ArrayList<>();
    file.ifPresent(path -> assignments.addAll(SettingSources.fromFile(path, catalogue, problems)));
    assignments.addAll(SettingSources.fromEnvironment(environment, catalogue, problems));
    return apply(catalogue, defaultValues(catalogue), assignments, problems);
  }

  /**
   * These settings overridden by {@code overrides} (typically command-line options), checked like
   * the others.
   *
   * @param origin where the overrides come from, for messages: {@code "option --partitions"}
   * @throws SettingsException when a key is unknown or a value malformed
   */
  public Settings with(Map<String, String> overrides, String origin) {
    List<String> problems = new ArrayList<>();
    List<Assignment> assignments = new ArrayList<>();
    overrides.forEach(
        (key, text) -> {
          if (catalogue.isKnownKey(key)) {
            assignments.add(new Assignment(key, text, origin));
          } else {
            problems.add("unknown setting '" + key + "' in " + origin);
          }
        });
    return apply(catalogue, new LinkedHashMap<>(values), assignments, problems);
  }

  /** The settings these values were read for. */
  public SettingsCatalogue catalogue() {
    return catalogue;
  }

  /**
   * The value of a setting.
   *
   * @throws SettingsException when it has no default and was not set
   */
  public <T> T get(Setting<T> setting) {
    return optional(setting)
        .orElseThrow(
            () ->
                new SettingsException(
                    setting.key()
                        + " is not set: set it in the "
                        + "--config file or with the environment variable "
                        + setting.environmentVariable()));
  }

  /**
   * The value of a setting, empty when it has no default and was not set.
   *
   * @throws IllegalArgumentException when the setting is not in the catalogue of these settings
   */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> optional(Setting<T> setting) {
    requireCatalogued(setting);
    Value value = values.get(setting.key());
    return value == null ? setting.defaultValue() : Optional.of((T) value.value());
  }

  public String string(Setting<String> setting) {
    return get(setting);
  }

  public int integer(Setting<Integer> setting) {
    return get(setting);
  }

  public Duration duration(Setting<Duration> setting) {
    return get(setting);
  }

  public boolean bool(Setting<Boolean> setting) {
    return get(setting);
  }

  public List<String> list(Setting<List<String>> setting) {
    return get(setting);
  }

  /**
   * Where the value in force comes from: {@code default}, {@code file …}, {@code environment
   * variable …}.
   */
  public String origin(Setting<?> setting) {
    requireCatalogued(setting);
    Value value = values.get(setting.key());
    return value == null ? DEFAULT_ORIGIN : value.origin();
  }

  /** The {@code kafka.*} settings with the prefix removed, ready for any Kafka client. */
  public Map<String, String> kafkaClientProperties() {
    Map<String, String> properties = new TreeMap<>();
    values.forEach(
        (key, value) -> {
          if (SettingsCatalogue.isKafkaPassThrough(key)) {
            properties.put(key.substring(SettingsCatalogue.KAFKA_PREFIX.length()), value.text());
          }
        });
    return properties;
  }

  /**
   * The settings of one family of the catalogue, full key to text, such as {@code
   * templates.shop.fr.confirmation_code}; empty when none is set.
   */
  public Map<String, String> family(String prefix) {
    if (!catalogue.familyPrefixes().contains(prefix)) {
      throw new IllegalArgumentException("no family of settings starts with " + prefix);
    }
    Map<String, String> members = new TreeMap<>();
    values.forEach(
        (key, value) -> {
          if (key.startsWith(prefix)) {
            members.put(key, value.text());
          }
        });
    return members;
  }

  /** One line per setting in force, {@code key = value (origin)}, secrets masked. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    for (Setting<?> setting : catalogue.all()) {
      text.append(line(setting.key(), setting.isSecret()));
    }
    new TreeMap<>(values)
        .keySet().stream()
            .filter(key -> catalogue.find(key).isEmpty())
            .forEach(key -> text.append(line(key, Setting.isSecretKey(key))));
    return text.toString();
  }

  @Override
  public String toString() {
    return "Settings:\n" + describe();
  }

  private String line(String key, boolean secret) {
    Value value = values.get(key);
    if (value == null) {
      return key + " = (not set)\n";
    }
    return key + " = " + (secret ? "****" : value.text()) + " (" + value.origin() + ")\n";
  }

  private void requireCatalogued(Setting<?> setting) {
    if (!catalogue.contains(setting)) {
      throw new IllegalArgumentException(
          "setting " + setting.key() + " is not in the catalogue these settings were read for");
    }
  }

  private static Map<String, Value> defaultValues(SettingsCatalogue catalogue) {
    Map<String, Value> values = new LinkedHashMap<>();
    for (Setting<?> setting : catalogue.all()) {
      setting
          .defaultValue()
          .ifPresent(
              value ->
                  values.put(
                      setting.key(), new Value(value, setting.defaultText(), DEFAULT_ORIGIN)));
    }
    return values;
  }

  private static Settings apply(
      SettingsCatalogue catalogue,
      Map<String, Value> values,
      List<Assignment> assignments,
      List<String> problems) {
    for (Assignment assignment : assignments) {
      String text = assignment.text().trim();
      Optional<Setting<?>> known = catalogue.find(assignment.key());
      if (text.isEmpty()) {
        reset(values, assignment.key(), known);
      } else if (known.isPresent()) {
        parse(known.get(), assignment, problems)
            .ifPresent(value -> values.put(assignment.key(), value));
      } else {
        values.put(assignment.key(), new Value(text, text, assignment.origin()));
      }
    }
    if (!problems.isEmpty()) {
      throw new SettingsException(problems);
    }
    return new Settings(catalogue, values);
  }

  private static Optional<Value> parse(
      Setting<?> setting, Assignment assignment, List<String> problems) {
    String text = assignment.text().trim();
    try {
      Object value = setting.parse(text);
      return Optional.of(new Value(value, text, assignment.origin()));
    } catch (IllegalArgumentException e) {
      String shown = setting.isSecret() ? "****" : text;
      problems.add(
          setting.key() + "=" + shown + " from " + assignment.origin() + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private static void reset(Map<String, Value> values, String key, Optional<Setting<?>> known) {
    values.remove(key);
    known.ifPresent(
        setting ->
            setting
                .defaultValue()
                .ifPresent(
                    value ->
                        values.put(key, new Value(value, setting.defaultText(), DEFAULT_ORIGIN))));
  }
}
