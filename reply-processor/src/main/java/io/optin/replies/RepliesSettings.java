package io.optin.replies;

import io.optin.replies.matching.ReplyTopologyConfig;
import io.optin.replies.parse.ReplyKeywords;
import io.optin.replies.webhook.ReplyTexts;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the reply processor's settings (DESIGN.md §9) from a flat map; absent keys take their defaults, a malformed
 * value stops with a message naming its key.
 */
public final class RepliesSettings {

  public static final String PUBLIC_BASE_URL = "public.base.url";
  public static final String TWILIO_AUTH_TOKEN = "twilio.auth.token";
  public static final String MAX_ATTEMPTS = "otp.max.attempts";
  public static final String EXPIRY_GRACE = "otp.expiry.grace";
  public static final String ANSWER_WAIT = "replies.answer.wait";
  public static final String PUBLISH_TIMEOUT = "replies.publish.timeout";
  public static final String DEDUPE_RETENTION = "replies.dedupe.retention";
  public static final String OUTCOME_RETENTION = "replies.outcome.retention";
  public static final String CLOSED_RETENTION = "replies.closed.retention";

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private RepliesSettings() {}

  /**
   * @param settings every setting (keys such as {@code otp.max.attempts}, {@code replies.keywords.*})
   * @param kafkaClientSettings the Kafka client settings ({@code kafka.*} with the prefix stripped)
   */
  public static RepliesConfig from(Map<String, String> settings, Map<String, String> kafkaClientSettings) {
    ReplyTopologyConfig d = ReplyTopologyConfig.defaults();
    ReplyTopologyConfig topology = new ReplyTopologyConfig(
        integer(settings, MAX_ATTEMPTS, d.maxAttempts()),
        duration(settings, EXPIRY_GRACE, d.expiryGrace()),
        d.punctuationInterval(),
        duration(settings, DEDUPE_RETENTION, d.dedupeRetention()),
        duration(settings, OUTCOME_RETENTION, d.outcomeRetention()),
        duration(settings, CLOSED_RETENTION, d.closedRetention()),
        d.purgeInterval());
    return new RepliesConfig(kafkaClientSettings, settings.get(PUBLIC_BASE_URL), settings.get(TWILIO_AUTH_TOKEN),
        topology, ReplyKeywords.fromSettings(settings), ReplyTexts.defaults(),
        duration(settings, ANSWER_WAIT, RepliesConfig.DEFAULT_ANSWER_WAIT),
        duration(settings, PUBLISH_TIMEOUT, RepliesConfig.DEFAULT_PUBLISH_TIMEOUT),
        RepliesConfig.DEFAULT_RECENT_ID_CAPACITY);
  }

  static int integer(Map<String, String> settings, String key, int fallback) {
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

  /** {@code 30s}, {@code 10m}, {@code 1h}, {@code 250ms}, {@code 7d} or ISO-8601 ({@code PT10M}). */
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
