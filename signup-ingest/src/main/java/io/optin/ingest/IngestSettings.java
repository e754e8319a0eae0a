package io.optin.ingest;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Settings of the signup front door.
 *
 * @param signupsPerPhonePerHour velocity limit per phone ({@value #PER_PHONE}, default 5; 0 turns it off)
 * @param signupsPerIpPerHour velocity limit per subscriber IP ({@value #PER_IP}, default 20; 0 turns it off)
 * @param allowedCountries ISO 3166 alpha-2 regions whose numbers are accepted ({@value #COUNTRIES},
 *     comma-separated; empty accepts all)
 * @param idempotencyTtl how long a first answer is replayed ({@value #IDEMPOTENCY_TTL}, default 24h)
 * @param idempotencyMaxKeys idempotency keys remembered at most ({@value #IDEMPOTENCY_MAX_KEYS}, default 100000)
 * @param publishTimeout longest wait for the broker's ack before answering 503 ({@value #PUBLISH_TIMEOUT},
 *     default 15s)
 */
public record IngestSettings(
    int signupsPerPhonePerHour,
    int signupsPerIpPerHour,
    Set<String> allowedCountries,
    Duration idempotencyTtl,
    int idempotencyMaxKeys,
    Duration publishTimeout) {

  public static final String PER_PHONE = "limits.phone.per.hour";
  public static final String PER_IP = "limits.ip.per.hour";
  public static final String COUNTRIES = "limits.countries.allowed";
  public static final String IDEMPOTENCY_TTL = "ingest.idempotency.ttl";
  public static final String IDEMPOTENCY_MAX_KEYS = "ingest.idempotency.max.keys";
  public static final String PUBLISH_TIMEOUT = "ingest.publish.timeout";

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  public IngestSettings {
    allowedCountries = allowedCountries.stream()
        .map(c -> c.strip().toUpperCase(Locale.ROOT))
        .filter(c -> !c.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
    if (idempotencyTtl.isNegative() || publishTimeout.isNegative() || publishTimeout.isZero()) {
      throw new IllegalArgumentException(IDEMPOTENCY_TTL + " and " + PUBLISH_TIMEOUT + " must be positive");
    }
  }

  public static IngestSettings defaults() {
    return new IngestSettings(5, 20, Set.of(), Duration.ofHours(24), 100_000, Duration.ofSeconds(15));
  }

  /** Reads the settings above from a flat map, defaults for absent keys; a malformed value names its key. */
  public static IngestSettings from(Map<String, String> settings) {
    IngestSettings d = defaults();
    return new IngestSettings(
        integer(settings, PER_PHONE, d.signupsPerPhonePerHour),
        integer(settings, PER_IP, d.signupsPerIpPerHour),
        settings.containsKey(COUNTRIES)
            ? Arrays.stream(settings.get(COUNTRIES).split(",")).collect(Collectors.toSet())
            : d.allowedCountries,
        duration(settings, IDEMPOTENCY_TTL, d.idempotencyTtl),
        integer(settings, IDEMPOTENCY_MAX_KEYS, d.idempotencyMaxKeys),
        duration(settings, PUBLISH_TIMEOUT, d.publishTimeout));
  }

  /** Whether a number of that region may sign up. */
  public boolean allowsCountry(String region) {
    return allowedCountries.isEmpty() || allowedCountries.contains(region);
  }

  private static int integer(Map<String, String> settings, String key, int fallback) {
    String value = settings.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'");
    }
  }

  /** {@code 30s}, {@code 10m}, {@code 1h}, {@code 250ms}, {@code 1d} or ISO-8601 ({@code PT10M}). */
  static Duration duration(Map<String, String> settings, String key, Duration fallback) {
    String value = settings.get(key);
    if (value == null) {
      return fallback;
    }
    String text = value.strip();
    Matcher m = SHORT_DURATION.matcher(text);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(key + " must be a duration such as 30s, 10m, 1h or PT10M, got '"
          + value + "'");
    }
  }
}
