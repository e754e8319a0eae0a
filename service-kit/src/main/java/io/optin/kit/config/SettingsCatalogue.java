package io.optin.kit.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The settings a program knows: each module declares its own catalogue, and a program runs with the
 * union of the catalogues of its modules, so a key that none declares is refused (with the closest
 * known key as a hint).
 *
 * <p>Besides its settings, a catalogue accepts any key starting with {@value #KAFKA_PREFIX} (a
 * Kafka client setting, passed through) and the members of its families: keys that carry names,
 * such as {@code templates.<programId>.<locale>.<kind>}, read from the settings file only, since an
 * environment variable cannot tell the dots of such a key from the dashes of a locale.
 *
 * <p>A setting shared by two modules is declared once and referenced by both catalogues: a union
 * keeps it once, and refuses two different settings under one key or one variable.
 */
public final class SettingsCatalogue {

  /**
   * Keys with this prefix go to every Kafka client, prefix removed ({@code kafka.acks} is {@code
   * acks}).
   */
  public static final String KAFKA_PREFIX = "kafka.";

  private final List<Setting<?>> settings;
  private final Set<String> familyPrefixes;
  private final Map<String, Setting<?>> byKey;
  private final Map<String, Setting<?>> byVariable;

  private SettingsCatalogue(List<Setting<?>> settings, Set<String> familyPrefixes) {
    Map<String, Setting<?>> keys = new LinkedHashMap<>();
    Map<String, Setting<?>> variables = new LinkedHashMap<>();
    List<Setting<?>> distinct = new ArrayList<>();
    for (Setting<?> setting : settings) {
      Objects.requireNonNull(setting, "setting");
      Setting<?> known = keys.get(setting.key());
      if (known == setting) {
        continue;
      }
      if (known != null) {
        throw new IllegalStateException("two settings named " + setting.key());
      }
      if (variables.containsKey(setting.environmentVariable())) {
        throw new IllegalStateException("two settings read from " + setting.environmentVariable());
      }
      keys.put(setting.key(), setting);
      variables.put(setting.environmentVariable(), setting);
      distinct.add(setting);
    }
    for (String prefix : familyPrefixes) {
      if (!prefix.endsWith(".") || prefix.startsWith(KAFKA_PREFIX)) {
        throw new IllegalArgumentException("not a family prefix: " + prefix);
      }
    }
    this.settings = List.copyOf(distinct);
    this.familyPrefixes = Set.copyOf(familyPrefixes);
    this.byKey = Map.copyOf(keys);
    this.byVariable = Map.copyOf(variables);
  }

  /** A catalogue of these settings, in this order. */
  public static SettingsCatalogue of(Setting<?>... settings) {
    return new SettingsCatalogue(List.of(settings), Set.of());
  }

  /**
   * Every setting and family of {@code parts}, in their order; a setting in several parts is kept
   * once.
   *
   * @throws IllegalStateException when two different settings have one key or one variable
   */
  public static SettingsCatalogue union(SettingsCatalogue... parts) {
    List<Setting<?>> settings = new ArrayList<>();
    Set<String> families = new LinkedHashSet<>();
    for (SettingsCatalogue part : parts) {
      settings.addAll(part.settings);
      families.addAll(part.familyPrefixes);
    }
    return new SettingsCatalogue(settings, families);
  }

  /**
   * This catalogue plus the family of keys starting with {@code prefix} (which ends with a dot).
   */
  public SettingsCatalogue withFamily(String prefix) {
    Set<String> families = new LinkedHashSet<>(familyPrefixes);
    families.add(prefix);
    return new SettingsCatalogue(settings, families);
  }

  /** Every setting of the catalogue, in declaration order. */
  public List<Setting<?>> all() {
    return settings;
  }

  /** The prefixes of the families of named keys, such as {@code templates.}. */
  public Set<String> familyPrefixes() {
    return familyPrefixes;
  }

  /** Whether {@code setting} itself (not merely its key) is in the catalogue. */
  public boolean contains(Setting<?> setting) {
    return byKey.get(setting.key()) == setting;
  }

  public Optional<Setting<?>> find(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /** The setting an {@code OPTIN_*} variable overrides, if it names one of the catalogue. */
  public Optional<Setting<?>> findByEnvironmentVariable(String variable) {
    return Optional.ofNullable(byVariable.get(variable));
  }

  /**
   * Whether {@code key} is a Kafka client setting passed through ({@code kafka.} and something
   * after it).
   */
  public static boolean isKafkaPassThrough(String key) {
    return key.startsWith(KAFKA_PREFIX) && key.length() > KAFKA_PREFIX.length();
  }

  /** The known key closest to a mistyped one, when one is close enough to be what was meant. */
  public Optional<String> closestKey(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Setting<?> known : settings) {
      int distance = EditDistance.between(key, known.key());
      if (distance < bestDistance) {
        best = known.key();
        bestDistance = distance;
      }
    }
    return bestDistance <= Math.max(2, key.length() / 5)
        ? Optional.ofNullable(best)
        : Optional.empty();
  }

  /** Whether {@code key} is a member of one of the families. */
  public boolean isFamilyKey(String key) {
    return familyPrefixes.stream()
        .anyMatch(prefix -> key.startsWith(prefix) && key.length() > prefix.length());
  }

  /**
   * Whether a key may be set: one of the catalogue, a Kafka client setting or a member of a family.
   */
  public boolean isKnownKey(String key) {
    return find(key).isPresent() || isKafkaPassThrough(key) || isFamilyKey(key);
  }

  @Override
  public String toString() {
    return "SettingsCatalogue" + settings + (familyPrefixes.isEmpty() ? "" : " " + familyPrefixes);
  }
}
