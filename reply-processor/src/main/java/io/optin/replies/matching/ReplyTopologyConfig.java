package io.optin.replies.matching;

import static io.optin.replies.RepliesSettings.OTP_EXPIRY_GRACE;
import static io.optin.replies.RepliesSettings.OTP_MAX_ATTEMPTS;
import static io.optin.replies.RepliesSettings.REPLIES_CLOSED_RETENTION;
import static io.optin.replies.RepliesSettings.REPLIES_DEDUPE_RETENTION;
import static io.optin.replies.RepliesSettings.REPLIES_OUTCOME_RETENTION;
import static io.optin.replies.RepliesSettings.REPLIES_STOP_SCOPE;

import io.optin.kit.config.Settings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the reply topology.
 *
 * @param maxAttempts wrong codes a challenge takes before it locks ({@code otp.max.attempts})
 * @param expiryGrace how long after {@code expiresAt} a challenge is closed EXPIRED, so an
 *     in-window answer still in flight wins ({@code otp.expiry.grace})
 * @param punctuationInterval how often the wall-clock expiry runs ({@value
 *     #PUNCTUATION_INTERVAL_MS} ms; no setting)
 * @param dedupeRetention how long a message sid or attempt id is remembered as processed ({@code
 *     replies.dedupe.retention})
 * @param outcomeRetention how long an answer's outcome stays readable by the HTTP side ({@code
 *     replies.outcome.retention})
 * @param closedRetention how long a closed challenge is remembered to answer late replies ({@code
 *     replies.closed.retention})
 * @param purgeInterval how often the retention purge runs ({@value #PURGE_INTERVAL_MS} ms; no
 *     setting)
 * @param stopScope which programs a STOP opts out of ({@code replies.stop.scope})
 */
public record ReplyTopologyConfig(
    int maxAttempts,
    Duration expiryGrace,
    Duration punctuationInterval,
    Duration dedupeRetention,
    Duration outcomeRetention,
    Duration closedRetention,
    Duration purgeInterval,
    StopScope stopScope) {

  /** Which programs a STOP opts out of (setting {@code replies.stop.scope}). */
  public enum StopScope {
    /** Every program known for the phone. */
    ALL,
    /** Only the programs the STOP answered (docs/replies.md). */
    PROGRAM;

    static StopScope named(String value) {
      return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * The scope a STOP carries ({@code InboundSms.stopScope}, stamped by the webhook), or empty
     * when it carries none or one this version does not know.
     */
    public static Optional<StopScope> stampedOn(String value) {
      if (value == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(named(value));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }

  /** Expiry within a second of its time, at the cost of one store scan a second. */
  public static final long PUNCTUATION_INTERVAL_MS = 1_000;

  /**
   * How long an answer read before any challenge it could answer waits for one: the challenges
   * topic may lag the answers by a restart or a rebalance, never by more than a challenge's window
   * (10 minutes by default), after which the answer could confirm nothing anyway.
   */
  public static final Duration PARKED_RETENTION = Duration.ofMinutes(15);

  /** Retentions are hours to days: a purge a minute keeps the stores close to them. */
  public static final long PURGE_INTERVAL_MS = 60_000;

  public ReplyTopologyConfig {
    Objects.requireNonNull(expiryGrace, "expiryGrace");
    Objects.requireNonNull(punctuationInterval, "punctuationInterval");
    Objects.requireNonNull(dedupeRetention, "dedupeRetention");
    Objects.requireNonNull(outcomeRetention, "outcomeRetention");
    Objects.requireNonNull(closedRetention, "closedRetention");
    Objects.requireNonNull(purgeInterval, "purgeInterval");
    Objects.requireNonNull(stopScope, "stopScope");
  }

  /** As the canonical constructor, a STOP opting out of every program. */
  public ReplyTopologyConfig(
      int maxAttempts,
      Duration expiryGrace,
      Duration punctuationInterval,
      Duration dedupeRetention,
      Duration outcomeRetention,
      Duration closedRetention,
      Duration purgeInterval) {
    this(
        maxAttempts,
        expiryGrace,
        punctuationInterval,
        dedupeRetention,
        outcomeRetention,
        closedRetention,
        purgeInterval,
        StopScope.ALL);
  }

  /** The same settings with a STOP opting out of {@code scope}. */
  public ReplyTopologyConfig withStopScope(StopScope scope) {
    return new ReplyTopologyConfig(
        maxAttempts,
        expiryGrace,
        punctuationInterval,
        dedupeRetention,
        outcomeRetention,
        closedRetention,
        purgeInterval,
        scope);
  }

  /** The topology's settings among {@code settings}. */
  public static ReplyTopologyConfig from(Settings settings) {
    return new ReplyTopologyConfig(
        settings.integer(OTP_MAX_ATTEMPTS),
        settings.duration(OTP_EXPIRY_GRACE),
        Duration.ofMillis(PUNCTUATION_INTERVAL_MS),
        settings.duration(REPLIES_DEDUPE_RETENTION),
        settings.duration(REPLIES_OUTCOME_RETENTION),
        settings.duration(REPLIES_CLOSED_RETENTION),
        Duration.ofMillis(PURGE_INTERVAL_MS),
        StopScope.named(settings.string(REPLIES_STOP_SCOPE)));
  }
}
