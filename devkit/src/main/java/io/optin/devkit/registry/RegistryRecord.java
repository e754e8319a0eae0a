package io.optin.devkit.registry;

import io.optin.schemas.evolution.CompatibilityLevel;
import java.util.Optional;

/** A fact in the registry log; replaying every fact in order rebuilds the registry exactly. */
sealed interface RegistryRecord {

  /** A subject got a new version. */
  record SchemaRegistered(RegisteredSchema schema) implements RegistryRecord {}

  /**
   * The compatibility level of one subject, or the global one when {@code subject} is empty, was
   * set ({@code level} present) or cleared ({@code level} empty).
   */
  record CompatibilityConfigured(Optional<String> subject, Optional<CompatibilityLevel> level)
      implements RegistryRecord {}
}
