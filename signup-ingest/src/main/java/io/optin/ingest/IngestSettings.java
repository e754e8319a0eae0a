package io.optin.ingest;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings of the signup front door (the app reads them from the one {@code Settings}, in {@code
 * ServiceConfigs}).
 *
 * @param signupsPerPhonePerHour velocity limit per phone ({@value #PER_PHONE}, default 5; 0 turns
 *     it off)
 * @param signupsPerIpPerHour velocity limit per subscriber IP ({@value #PER_IP}, default 20; 0
 *     turns it off)
 * @param allowedCountries ISO 3166 alpha-2 regions whose numbers are accepted ({@value #COUNTRIES},
 *     comma-separated; empty accepts all)
 * @param idempotencyTtl how long a first answer is replayed ({@value #IDEMPOTENCY_TTL}, default
 *     24h)
 * @param idempotencyMaxKeys idempotency keys remembered at most ({@value #IDEMPOTENCY_MAX_KEYS},
 *     default 100000)
 * @param publishTimeout longest wait for the broker's ack before answering 503 ({@value
 *     #PUBLISH_TIMEOUT}, default 15s)
 * @param prefixDigits leading digits of an E.164 number, country code included, that make its
 *     prefix ({@value #PREFIX_DIGITS}, default 6)
 * @param signupsPerPrefixPerHour velocity limit per number prefix ({@value #PER_PREFIX}, default
 *     200; 0 turns it off)
 * @param signupsPerCountryPerHour velocity limit per destination country ({@value #PER_COUNTRY},
 *     default 2000; 0 turns it off)
 * @param pumping when a prefix is blocked for SMS pumping ({@value #PUMPING_MIN_SENDS}, {@value
 *     #PUMPING_MIN_CONFIRM_PERCENT}, {@value #PUMPING_BLOCK})
 */
public record IngestSettings(
    int signupsPerPhonePerHour,
    int signupsPerIpPerHour,
    Set<String> allowedCountries,
    Duration idempotencyTtl,
    int idempotencyMaxKeys,
    Duration publishTimeout,
    int prefixDigits,
    int signupsPerPrefixPerHour,
    int signupsPerCountryPerHour,
    PumpingRule pumping) {

  public static final String PER_PHONE = "limits.phone.per.hour";
  public static final String PER_IP = "limits.ip.per.hour";
  public static final String COUNTRIES = "limits.countries.allowed";
  public static final String PREFIX_DIGITS = "limits.prefix.digits";
  public static final String PER_PREFIX = "limits.prefix.per.hour";
  public static final String PER_COUNTRY = "limits.country.per.hour";
  public static final String PUMPING_MIN_SENDS = "limits.pumping.min.sends";
  public static final String PUMPING_MIN_CONFIRM_PERCENT = "limits.pumping.min.confirm.percent";
  public static final String PUMPING_BLOCK = "limits.pumping.block";
  public static final String IDEMPOTENCY_TTL = "ingest.idempotency.ttl";
  public static final String IDEMPOTENCY_MAX_KEYS = "ingest.idempotency.max.keys";
  public static final String PUBLISH_TIMEOUT = "ingest.publish.timeout";

  private static final int DEFAULT_PREFIX_DIGITS = 6;
  private static final int DEFAULT_PER_PREFIX = 200;
  private static final int DEFAULT_PER_COUNTRY = 2_000;

  public IngestSettings {
    allowedCountries =
        allowedCountries.stream()
            .map(c -> c.strip().toUpperCase(Locale.ROOT))
            .filter(c -> !c.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    if (idempotencyTtl.isNegative() || publishTimeout.isNegative() || publishTimeout.isZero()) {
      throw new IllegalArgumentException(
          IDEMPOTENCY_TTL + " and " + PUBLISH_TIMEOUT + " must be positive");
    }
    if (prefixDigits < 1) {
      throw new IllegalArgumentException(
          PREFIX_DIGITS + " must be at least 1, got " + prefixDigits);
    }
    Objects.requireNonNull(pumping, "pumping");
  }

  /**
   * The settings of the phone, IP and country limits and idempotency; prefix, country and pumping
   * by default.
   */
  public IngestSettings(
      int signupsPerPhonePerHour,
      int signupsPerIpPerHour,
      Set<String> allowedCountries,
      Duration idempotencyTtl,
      int idempotencyMaxKeys,
      Duration publishTimeout) {
    this(
        signupsPerPhonePerHour,
        signupsPerIpPerHour,
        allowedCountries,
        idempotencyTtl,
        idempotencyMaxKeys,
        publishTimeout,
        DEFAULT_PREFIX_DIGITS,
        DEFAULT_PER_PREFIX,
        DEFAULT_PER_COUNTRY,
        PumpingRule.defaults());
  }

  public static IngestSettings defaults() {
    return new IngestSettings(
        5, 20, Set.of(), Duration.ofHours(24), 100_000, Duration.ofSeconds(15));
  }

  /** These settings with other prefix and country limits. */
  public IngestSettings withPlaceLimits(
      int prefixDigits, int signupsPerPrefixPerHour, int signupsPerCountryPerHour) {
    return new IngestSettings(
        signupsPerPhonePerHour,
        signupsPerIpPerHour,
        allowedCountries,
        idempotencyTtl,
        idempotencyMaxKeys,
        publishTimeout,
        prefixDigits,
        signupsPerPrefixPerHour,
        signupsPerCountryPerHour,
        pumping);
  }

  /** These settings with another pumping rule. */
  public IngestSettings withPumping(PumpingRule rule) {
    return new IngestSettings(
        signupsPerPhonePerHour,
        signupsPerIpPerHour,
        allowedCountries,
        idempotencyTtl,
        idempotencyMaxKeys,
        publishTimeout,
        prefixDigits,
        signupsPerPrefixPerHour,
        signupsPerCountryPerHour,
        rule);
  }

  /** How a number's prefix is made from it. */
  public PrefixRule prefixRule() {
    return new PrefixRule(prefixDigits);
  }

  /** Whether a number of that region may sign up. */
  public boolean allowsCountry(String region) {
    return allowedCountries.isEmpty() || allowedCountries.contains(region);
  }
}
