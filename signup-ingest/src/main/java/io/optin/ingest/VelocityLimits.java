package io.optin.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Velocity limits on signups ("watch for suspicious repeated requests"): a token bucket per phone,
 * per client IP, per number prefix and per destination country, each refilled continuously at its
 * hourly rate; a signup passes only when every bucket it falls in has a token, and then takes one
 * from each.
 *
 * <p>A limit of zero or less is off. Memory is bounded: buckets that have refilled to full are
 * forgotten (a fresh bucket is identical), and past {@code maxTracked} keys of one limit the least
 * recently used bucket is dropped. Its clock is the {@link ClaimBook}'s, so that every instance
 * applying the same claims holds the same buckets.
 */
public final class VelocityLimits {

  private static final Duration HOUR = Duration.ofHours(1);
  static final int DEFAULT_MAX_TRACKED = 200_000;
  private static final double ROUNDING = 1e-9;

  /** In the order they are checked: the first that trips is the one reported. */
  private final List<Limit> limits;

  private final Clock clock;

  /** Per phone and per IP only. */
  public VelocityLimits(int signupsPerPhonePerHour, int signupsPerIpPerHour, Clock clock) {
    this(signupsPerPhonePerHour, signupsPerIpPerHour, 0, 0, clock);
  }

  public VelocityLimits(
      int signupsPerPhonePerHour,
      int signupsPerIpPerHour,
      int signupsPerPrefixPerHour,
      int signupsPerCountryPerHour,
      Clock clock) {
    this(
        signupsPerPhonePerHour,
        signupsPerIpPerHour,
        signupsPerPrefixPerHour,
        signupsPerCountryPerHour,
        clock,
        DEFAULT_MAX_TRACKED);
  }

  VelocityLimits(int signupsPerPhonePerHour, int signupsPerIpPerHour, Clock clock, int maxTracked) {
    this(signupsPerPhonePerHour, signupsPerIpPerHour, 0, 0, clock, maxTracked);
  }

  VelocityLimits(
      int signupsPerPhonePerHour,
      int signupsPerIpPerHour,
      int signupsPerPrefixPerHour,
      int signupsPerCountryPerHour,
      Clock clock,
      int maxTracked) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.limits =
        List.of(
            new Limit(Verdict.PHONE, signupsPerPhonePerHour, maxTracked),
            new Limit(Verdict.IP, signupsPerIpPerHour, maxTracked),
            new Limit(Verdict.PREFIX, signupsPerPrefixPerHour, maxTracked),
            new Limit(Verdict.COUNTRY, signupsPerCountryPerHour, maxTracked));
  }

  /** {@link #acquire(String, String, String, String)} without prefix and country. */
  public Verdict acquire(String phone, String ipOrNull) {
    return acquire(phone, ipOrNull, null, null);
  }

  /**
   * Takes one token from each bucket the signup falls in, or none when any is empty.
   *
   * @param phone the phone in E.164
   * @param ipOrNull the subscriber's IP, or null when unknown (then the IP is not limited)
   * @param prefixOrNull the phone's number prefix ({@link PrefixRule}), or null to leave it
   *     unlimited
   * @param countryOrNull the phone's region (ISO 3166 alpha-2), or null to leave it unlimited
   */
  public synchronized Verdict acquire(
      String phone, String ipOrNull, String prefixOrNull, String countryOrNull) {
    Instant now = clock.instant();
    String[] keys = {phone, ipOrNull, prefixOrNull, countryOrNull};
    for (int i = 0; i < keys.length; i++) {
      Duration wait = keys[i] == null ? null : limits.get(i).waitFor(keys[i], now);
      if (wait != null) {
        return new Verdict.Tripped(limits.get(i).name, limits.get(i).perHour, wait);
      }
    }
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) {
        limits.get(i).take(keys[i], now);
      }
    }
    return Verdict.ALLOWED;
  }

  /** Keys currently tracked, all limits together (for tests and metrics). */
  synchronized int tracked() {
    return limits.stream().mapToInt(limit -> limit.buckets.size()).sum();
  }

  /** Whether a signup may go on, or which limit tripped and when to retry. */
  public sealed interface Verdict {
    Verdict ALLOWED = new Allowed();
    String PHONE = "phone";
    String IP = "ip";
    String PREFIX = "prefix";
    String COUNTRY = "country";

    record Allowed() implements Verdict {}

    /**
     * @param limit {@link #PHONE}, {@link #IP}, {@link #PREFIX} or {@link #COUNTRY}
     * @param perHour the limit's hourly rate
     * @param retryAfter time until the bucket holds a token again
     */
    record Tripped(String limit, int perHour, Duration retryAfter) implements Verdict {

      /**
       * The refusal, naming the limit: {@code too many signups for this number prefix (at most 200
       * an hour)}.
       */
      public String reason() {
        return "too many signups for this "
            + (PREFIX.equals(limit) ? "number prefix" : limit)
            + " (at most "
            + perHour
            + " an hour)";
      }
    }
  }

  /**
   * One kind of limit: buckets of {@code perHour} tokens, refilled at {@code perHour} tokens an
   * hour.
   */
  private static final class Limit {
    private final String name;
    private final int perHour;
    private final int maxTracked;
    private final double tokensPerNano;
    private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);

    Limit(String name, int perHour, int maxTracked) {
      this.name = name;
      this.perHour = perHour;
      this.maxTracked = maxTracked;
      this.tokensPerNano = (double) perHour / HOUR.toNanos();
    }

    /** Null when a token is available, else the time until one is. */
    Duration waitFor(String key, Instant now) {
      if (perHour <= 0) {
        return null;
      }
      Bucket bucket = buckets.get(key);
      double tokens = bucket == null ? perHour : bucket.tokensAt(now, perHour, tokensPerNano);
      // Rounding must not refuse a retry made exactly at the Retry-After given (3/h after 20 min).
      if (tokens >= 1 - ROUNDING) {
        return null;
      }
      long nanos = (long) Math.ceil((1 - tokens) / tokensPerNano);
      return Duration.ofNanos(Math.max(nanos, 1));
    }

    void take(String key, Instant now) {
      if (perHour <= 0) {
        return;
      }
      Bucket bucket = buckets.get(key);
      double tokens = bucket == null ? perHour : bucket.tokensAt(now, perHour, tokensPerNano);
      buckets.put(key, new Bucket(tokens - 1, now));
      if (buckets.size() > maxTracked) {
        shrink(now);
      }
    }

    private void shrink(Instant now) {
      buckets.values().removeIf(b -> b.tokensAt(now, perHour, tokensPerNano) >= perHour);
      Iterator<Map.Entry<String, Bucket>> eldest = buckets.entrySet().iterator();
      while (buckets.size() > maxTracked && eldest.hasNext()) {
        eldest.next();
        eldest.remove();
      }
    }

    @Override
    public String toString() {
      return name + " " + perHour + "/h";
    }
  }

  /** Tokens left at a moment; immutable so the map holds consistent snapshots. */
  private record Bucket(double tokens, Instant at) {
    double tokensAt(Instant now, int capacity, double tokensPerNano) {
      long elapsed = Math.max(0, Duration.between(at, now).toNanos());
      return Math.min(capacity, tokens + elapsed * tokensPerNano);
    }
  }
}
