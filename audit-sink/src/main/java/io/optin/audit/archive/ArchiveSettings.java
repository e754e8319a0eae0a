package io.optin.audit.archive;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the ledger is archived: segment files under {@value #DIR}, PostgreSQL at {@value #JDBC_URL}, both or
 * neither. Each setting {@code a.b.c} may be overridden by the environment variable {@code OPTIN_A_B_C}; the
 * password belongs there ({@code OPTIN_AUDIT_ARCHIVE_JDBC_PASSWORD}), not in a file.
 */
public record ArchiveSettings(Optional<Path> directory, Optional<JdbcTarget> jdbc, SegmentRotation rotation,
    Duration retryBackoff) {

  public static final String DIR = "audit.archive.dir";
  public static final String JDBC_URL = "audit.archive.jdbc.url";
  public static final String JDBC_USER = "audit.archive.jdbc.user";
  public static final String JDBC_PASSWORD = "audit.archive.jdbc.password";
  public static final String SEGMENT_MAX_RECORDS = "audit.archive.segment.max.records";
  public static final String SEGMENT_MAX_BYTES = "audit.archive.segment.max.bytes";
  public static final String RETRY_BACKOFF = "audit.archive.retry.backoff";

  private static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(5);
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  public ArchiveSettings {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(jdbc, "jdbc");
    Objects.requireNonNull(rotation, "rotation");
    Objects.requireNonNull(retryBackoff, "retryBackoff");
  }

  /**
   * @param settings settings by name (from the properties file)
   * @param environment the process environment; {@code OPTIN_*} variables override the settings
   * @throws IllegalArgumentException naming the setting that is malformed
   */
  public static ArchiveSettings from(Map<String, String> settings, Map<String, String> environment) {
    Map<String, String> merged = new java.util.HashMap<>(settings);
    for (String name : new String[] {DIR, JDBC_URL, JDBC_USER, JDBC_PASSWORD, SEGMENT_MAX_RECORDS, SEGMENT_MAX_BYTES,
        RETRY_BACKOFF}) {
      String variable = "OPTIN_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
      if (environment.containsKey(variable)) {
        merged.put(name, environment.get(variable));
      }
    }
    Optional<Path> directory = value(merged, DIR).map(Path::of);
    Optional<JdbcTarget> jdbc;
    try {
      jdbc = value(merged, JDBC_URL).map(url -> new JdbcTarget(url, value(merged, JDBC_USER).orElse(null),
          value(merged, JDBC_PASSWORD).orElse(null)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(JDBC_URL + ": " + e.getMessage(), e);
    }
    SegmentRotation rotation = new SegmentRotation(
        number(merged, SEGMENT_MAX_RECORDS, SegmentRotation.DEFAULT.maxRecords()),
        number(merged, SEGMENT_MAX_BYTES, SegmentRotation.DEFAULT.maxBytes()));
    Duration backoff = value(merged, RETRY_BACKOFF).map(text -> duration(RETRY_BACKOFF, text))
        .orElse(DEFAULT_RETRY_BACKOFF);
    return new ArchiveSettings(directory, jdbc, rotation, backoff);
  }

  /** Whether any archive is configured. */
  public boolean any() {
    return directory.isPresent() || jdbc.isPresent();
  }

  private static Optional<String> value(Map<String, String> settings, String name) {
    return Optional.ofNullable(settings.get(name)).map(String::strip).filter(text -> !text.isEmpty());
  }

  private static long number(Map<String, String> settings, String name, long fallback) {
    Optional<String> text = value(settings, name);
    try {
      long parsed = text.map(Long::parseLong).orElse(fallback);
      if (parsed < 1) {
        throw new NumberFormatException("not positive");
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a positive whole number, got '" + text.orElse("") + "'");
    }
  }

  private static Duration duration(String name, String text) {
    Matcher matcher = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + " must be a duration such as 5s, 1m or PT5S, got '" + text + "'");
    }
  }
}
