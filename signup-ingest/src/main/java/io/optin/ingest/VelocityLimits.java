package io.optin.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Velocity limits on signups ("watch for suspicious repeated requests"): a token bucket per phone and per
 * client IP, each refilled continuously at its hourly rate; a signup passes only when both have a token.
 *
 * <p>A limit of zero or less is off. Memory is bounded: buckets that have refilled to full are forgotten (a
 * fresh bucket is identical), and past {@code maxTracked} keys the least recently used bucket is dropped.
 * The limits are per instance; behind a load balancer each instance enforces them on its own share.
 */
public final class VelocityLimits {

  private static final Duration HOUR = Duration.ofHours(1);
  static final int DEFAULT_MAX_TRACKED = 200_000;

  private final Limit perPhone;
  private final Limit perIp;
  private final Clock clock;

  public VelocityLimits(int signupsPerPhonePerHour, int signupsPerIpPerHour, Clock clock) {
    this(signupsPerPhonePerHour, signupsPerIpPerHour, clock, DEFAULT_MAX_TRACKED);
  }

  VelocityLimits(int signupsPerPhonePerHour, int signupsPerIpPerHour, Clock clock, int maxTracked) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.perPhone = new Limit("phone", signupsPerPhonePerHour, maxTracked);
    this.perIp = new Limit("ip", signupsPerIpPerHour, maxTracked);
  }

  /**
   * Takes one token from the phone's bucket and from the IP's bucket, or none when either is empty.
   *
   * @param phone the phone in E.164
   * @param ipOrNull the subscriber's IP, or null when unknown (then only the phone is limited)
   */
  public synchronized Verdict acquire(String phone, String ipOrNull) {
    Instant now = clock.instant();
    Duration phoneWait = perPhone.waitFor(phone, now);
    if (phoneWait != null) {
      return new Verdict.Tripped("phone", perPhone.perHour, phoneWait);
    }
    Duration ipWait = ipOrNull == null ? null : perIp.waitFor(ipOrNull, now);
    if (ipWait != null) {
      return new Verdict.Tripped("ip", perIp.perHour, ipWait);
    }
    perPhone.take(phone, now);
    if (ipOrNull != null) {
      perIp.take(ipOrNull, now);
    }
    return Verdict.ALLOWED;
  }

  /** Keys currently tracked, phones and IPs together (for tests and metrics). */
  synchronized int tracked() {
    return perPhone.buckets.size() + perIp.buckets.size();
  }

  /** Whether a signup may go on, or which limit tripped and when to retry. */
  public sealed interface Verdict {
    Verdict ALLOWED = new Allowed();

    record Allowed() implements Verdict {}

    /**
     * @param limit {@code phone} or {@code ip}
     * @param perHour the limit's hourly rate
     * @param retryAfter time until the bucket holds a token again
     */
    record Tripped(String limit, int perHour, Duration retryAfter) implements Verdict {}
  }

  /** One kind of limit: buckets of {@code perHour} tokens, refilled at {@code perHour} tokens an hour. */
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
      if (tokens >= 1) {
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
