package io.optin.devkit.registry;

import java.util.List;
import java.util.Optional;

/**
 * A version as a client names it in a path: a number from 1, or {@code latest} (also spelled -1).
 */
record VersionRef(int number) {

  static final VersionRef LATEST = new VersionRef(-1);

  static VersionRef parse(String text) {
    if ("latest".equals(text) || "-1".equals(text)) {
      return LATEST;
    }
    try {
      int number = Integer.parseInt(text);
      if (number >= 1) {
        return new VersionRef(number);
      }
    } catch (NumberFormatException e) {
      // reported below, like any other invalid version
    }
    throw RegistryErrors.invalidVersion(text);
  }

  /** The version this names among {@code versions} (oldest first, never empty). */
  Optional<RegisteredSchema> pick(List<RegisteredSchema> versions) {
    if (this.equals(LATEST)) {
      return Optional.of(versions.get(versions.size() - 1));
    }
    return versions.stream().filter(v -> v.version() == number).findFirst();
  }
}
