package io.optin.schemas.evolution;

import java.util.Locale;
import java.util.Optional;

/**
 * How a new schema version must relate to the earlier versions of its subject, as Confluent Schema
 * Registry names it. BACKWARD: the new schema reads data written with the old; FORWARD: the old
 * reads the new; FULL: both. The transitive levels check every earlier version, the others only the
 * latest.
 */
public enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  /** The level of a registry nobody configured, as in Confluent Schema Registry. */
  public static final CompatibilityLevel DEFAULT = BACKWARD;

  private final boolean newReadsOld;
  private final boolean oldReadsNew;
  private final boolean transitive;

  CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
    this.newReadsOld = newReadsOld;
    this.oldReadsNew = oldReadsNew;
    this.transitive = transitive;
  }

  /** The level named {@code name}, in any letter case. */
  public static Optional<CompatibilityLevel> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The new schema must read data written with the earlier ones. */
  public boolean newReadsOld() {
    return newReadsOld;
  }

  /** The earlier schemas must read data written with the new one. */
  public boolean oldReadsNew() {
    return oldReadsNew;
  }

  /** Every earlier version is checked, not only the latest. */
  public boolean transitive() {
    return transitive;
  }
}
