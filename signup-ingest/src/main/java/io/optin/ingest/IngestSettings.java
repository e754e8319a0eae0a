package io.optin.ingest;

import io.optin.kit.config.Setting;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsCatalogue;
import io.optin.kit.config.SharedSettings;
import io.optin.kit.config.ValueType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the signup front door: the module declares them ({@code limits.*} and {@code
 * ingest.*}, with their defaults and ranges) and reads them with {@link #from}, with the shared
 * {@code programs.allowed} ({@link SharedSettings#PROGRAMS_ALLOWED}).
 *
 * @param signupsPerPhonePerHour velocity limit per phone ({@code limits.phone.per.hour})
 * @param signupsPerIpPerHour velocity limit per subscriber IP ({@code limits.ip.per.hour})
 * @param allowedCountries ISO 3166 alpha-2 regions whose numbers are accepted ({@code
 *     limits.countries.allowed}; empty accepts all)
 * @param idempotencyTtl how long a first answer is replayed ({@code ingest.idempotency.ttl})
 * @param idempotencyMaxKeys idempotency keys remembered at most ({@code
 *     ingest.idempotency.max.keys})
 * @param publishTimeout longest wait for the broker's ack before answering 503 ({@code
 *     ingest.publish.timeout})
 * @param prefixDigits leading digits of an E.164 number, country code included, that make its
 *     prefix ({@code limits.prefix.digits})
 * @param signupsPerPrefixPerHour velocity limit per number prefix ({@code limits.prefix.per.hour})
 * @param signupsPerCountryPerHour velocity limit per destination country ({@code
 *     limits.country.per.hour})
 * @param pumping when a prefix is blocked for SMS pumping ({@code limits.pumping.*})
 * @param allowedPrograms program ids a signup may name ({@code programs.allowed}; empty accepts
 *     any)
 * @param clusterWide whether the limits and idempotency keys are shared by every instance through
 *     {@code optin.intake-claims.v1} ({@code ingest.limits.cluster.wide})
 * @param claimTimeout longest wait for a signup's claim to be judged before answering 503 ({@code
 *     ingest.claim.timeout})
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
    PumpingRule pumping,
    Set<String> allowedPrograms,
    boolean clusterWide,
    Duration claimTimeout) {

  // Suspicious activity
  public static final Setting<Integer> LIMITS_PHONE_PER_HOUR =
      Setting.integer(
          "limits.phone.per.hour", 5, 1, 1_000, "Signups accepted per phone number per hour.");
  public static final Setting<Integer> LIMITS_IP_PER_HOUR =
      Setting.integer(
          "limits.ip.per.hour",
          20,
          1,
          1_000_000,
          "Signups accepted per client IP address per hour.");
  public static final Setting<Integer> LIMITS_PREFIX_DIGITS =
      Setting.integer(
          "limits.prefix.digits",
          6,
          3,
          12,
          "Leading digits of an E.164 number (country code included) that make its prefix.");
  public static final Setting<Integer> LIMITS_PREFIX_PER_HOUR =
      Setting.integer(
          "limits.prefix.per.hour",
          200,
          1,
          1_000_000,
          "Signups accepted per number prefix per hour (each may send a code).");
  public static final Setting<Integer> LIMITS_COUNTRY_PER_HOUR =
      Setting.integer(
          "limits.country.per.hour",
          2_000,
          1,
          10_000_000,
          "Signups accepted per destination country per hour (each may send a code).");
  public static final Setting<List<String>> LIMITS_COUNTRIES_ALLOWED =
      Setting.of(
          "limits.countries.allowed",
          ValueType.LIST,
          List.of(),
          IngestSettings::countryCodesRefusal,
          "ISO 3166 codes, like `US,FR`",
          "Destination countries allowed; empty allows all.");
  public static final Setting<Integer> LIMITS_PUMPING_MIN_SENDS =
      Setting.integer(
          "limits.pumping.min.sends",
          50,
          1,
          1_000_000,
          "Codes sent to a prefix in the last hour before its confirmation rate is judged (SMS pumping).");
  public static final Setting<Integer> LIMITS_PUMPING_MIN_CONFIRM_PERCENT =
      Setting.integer(
          "limits.pumping.min.confirm.percent",
          10,
          0,
          100,
          "A prefix whose confirmed share of the codes sent in the last hour falls below this percentage is blocked "
              + "(0: never).");
  public static final Setting<Duration> LIMITS_PUMPING_BLOCK =
      Setting.duration(
          "limits.pumping.block",
          Duration.ofHours(1),
          Duration.ofMinutes(1),
          Duration.ofDays(7),
          "How long a pumping prefix stays blocked: signups to it are answered 429.");

  // Signup front door
  public static final Setting<Duration> INGEST_IDEMPOTENCY_TTL =
      Setting.duration(
          "ingest.idempotency.ttl",
          Duration.ofHours(24),
          Duration.ofMinutes(1),
          Duration.ofDays(30),
          "How long the first answer to an `idempotencyKey` is replayed.");
  public static final Setting<Integer> INGEST_IDEMPOTENCY_MAX_KEYS =
      Setting.integer(
          "ingest.idempotency.max.keys",
          100_000,
          100,
          10_000_000,
          "Idempotency keys remembered at most per instance (the oldest are forgotten).");
  public static final Setting<Duration> INGEST_PUBLISH_TIMEOUT =
      Setting.duration(
          "ingest.publish.timeout",
          Duration.ofSeconds(15),
          Duration.ofSeconds(1),
          Duration.ofMinutes(5),
          "Longest wait for Kafka's acknowledgement of a signup before answering 503.");

  public static final Setting<Boolean> INGEST_LIMITS_CLUSTER_WIDE =
      Setting.flag(
          "ingest.limits.cluster.wide",
          true,
          "Whether every ingest instance shares the velocity limits and idempotency keys through "
              + "`optin.intake-claims.v1` (false: each instance keeps its own, so N instances allow N "
              + "times each limit).");
  public static final Setting<Duration> INGEST_CLAIM_TIMEOUT =
      Setting.duration(
          "ingest.claim.timeout",
          Duration.ofSeconds(5),
          Duration.ofMillis(100),
          Duration.ofMinutes(1),
          "Longest wait for a signup's claim on `optin.intake-claims.v1` to be judged before "
              + "answering 503.");

  /** Every setting the signup front door reads. */
  public static final SettingsCatalogue CATALOGUE =
      SettingsCatalogue.of(
          INGEST_IDEMPOTENCY_TTL,
          INGEST_IDEMPOTENCY_MAX_KEYS,
          INGEST_PUBLISH_TIMEOUT,
          INGEST_LIMITS_CLUSTER_WIDE,
          INGEST_CLAIM_TIMEOUT,
          LIMITS_PHONE_PER_HOUR,
          LIMITS_IP_PER_HOUR,
          LIMITS_PREFIX_DIGITS,
          LIMITS_PREFIX_PER_HOUR,
          LIMITS_COUNTRY_PER_HOUR,
          LIMITS_COUNTRIES_ALLOWED,
          LIMITS_PUMPING_MIN_SENDS,
          LIMITS_PUMPING_MIN_CONFIRM_PERCENT,
          LIMITS_PUMPING_BLOCK,
          SharedSettings.PROGRAMS_ALLOWED);

  public IngestSettings {
    allowedCountries = Set.copyOf(Objects.requireNonNull(allowedCountries, "allowedCountries"));
    Objects.requireNonNull(idempotencyTtl, "idempotencyTtl");
    Objects.requireNonNull(publishTimeout, "publishTimeout");
    Objects.requireNonNull(claimTimeout, "claimTimeout");
    Objects.requireNonNull(pumping, "pumping");
    allowedPrograms = Set.copyOf(Objects.requireNonNull(allowedPrograms, "allowedPrograms"));
  }

  /** The front door's settings among {@code settings}, checked when they were loaded. */
  public static IngestSettings from(Settings settings) {
    PumpingRule pumping =
        new PumpingRule(
            settings.integer(LIMITS_PUMPING_MIN_SENDS),
            settings.integer(LIMITS_PUMPING_MIN_CONFIRM_PERCENT),
            settings.duration(LIMITS_PUMPING_BLOCK));
    return new IngestSettings(
        settings.integer(LIMITS_PHONE_PER_HOUR),
        settings.integer(LIMITS_IP_PER_HOUR),
        Set.copyOf(settings.list(LIMITS_COUNTRIES_ALLOWED)),
        settings.duration(INGEST_IDEMPOTENCY_TTL),
        settings.integer(INGEST_IDEMPOTENCY_MAX_KEYS),
        settings.duration(INGEST_PUBLISH_TIMEOUT),
        settings.integer(LIMITS_PREFIX_DIGITS),
        settings.integer(LIMITS_PREFIX_PER_HOUR),
        settings.integer(LIMITS_COUNTRY_PER_HOUR),
        pumping,
        Set.copyOf(settings.list(SharedSettings.PROGRAMS_ALLOWED)),
        settings.bool(INGEST_LIMITS_CLUSTER_WIDE),
        settings.duration(INGEST_CLAIM_TIMEOUT));
  }

  /** How a number's prefix is made from it. */
  public PrefixRule prefixRule() {
    return new PrefixRule(prefixDigits);
  }

  /** Whether a number of that region may sign up. */
  public boolean allowsCountry(String region) {
    return allowedCountries.isEmpty() || allowedCountries.contains(region);
  }

  /** Whether a signup may name that program (already trimmed). */
  public boolean allowsProgram(String programId) {
    return allowedPrograms.isEmpty() || allowedPrograms.contains(programId);
  }

  private static String countryCodesRefusal(List<String> codes) {
    List<String> bad = codes.stream().filter(code -> !code.matches("[A-Z]{2}")).toList();
    return bad.isEmpty()
        ? null
        : "must be two-letter ISO 3166 country codes in capitals, like US,FR (not " + bad + ")";
  }
}
