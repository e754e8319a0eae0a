package io.optin.replies;

import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.Setting;
import io.optin.kit.config.SettingsCatalogue;
import io.optin.kit.config.SharedSettings;
import io.optin.kit.config.ValueType;
import io.optin.replies.parse.ReplyKeywords;
import java.time.Duration;

/**
 * The settings of the reply processor: how answers are matched to challenges ({@code
 * otp.max.attempts}, {@code otp.expiry.grace}), how long the webhooks and the verification API wait
 * and remember ({@code replies.*}), and the extra keywords ({@code replies.keywords.*} family). The
 * webhooks' auth token and the programs a code entry may name ({@code programs.allowed}) are among
 * the {@link SharedSettings}.
 */
public final class RepliesSettings {

  // One-time codes
  public static final Setting<Integer> OTP_MAX_ATTEMPTS =
      Setting.integer(
          "otp.max.attempts", 5, 1, 20, "Wrong codes accepted per challenge before it is locked.");
  public static final Setting<Duration> OTP_EXPIRY_GRACE =
      Setting.duration(
          "otp.expiry.grace",
          Duration.ofSeconds(5),
          Duration.ZERO,
          Duration.ofMinutes(1),
          "How long after its expiry a challenge is "
              + "closed as EXPIRED, so that an answer sent in time but still in flight wins.");

  // Replies
  public static final Setting<Duration> REPLIES_ANSWER_WAIT =
      Setting.duration(
          "replies.answer.wait",
          Duration.ofSeconds(3),
          Duration.ZERO,
          Duration.ofSeconds(10),
          "How long the inbound webhook and "
              + "`POST /v1/verifications` wait for the outcome of an answer before replying without it.");

  public static final Setting<Duration> REPLIES_DEDUPE_RETENTION =
      Setting.duration(
          "replies.dedupe.retention",
          Duration.ofDays(7),
          Duration.ofHours(1),
          Duration.ofDays(90),
          "How long a processed message sid or attempt id is remembered, so a replayed webhook changes nothing.");
  public static final Setting<Duration> REPLIES_OUTCOME_RETENTION =
      Setting.duration(
          "replies.outcome.retention",
          Duration.ofHours(1),
          Duration.ofMinutes(1),
          Duration.ofDays(1),
          "How long the outcome of an answer stays readable by the HTTP side.");
  public static final Setting<Duration> REPLIES_CLOSED_RETENTION =
      Setting.duration(
          "replies.closed.retention",
          Duration.ofDays(7),
          Duration.ofHours(1),
          Duration.ofDays(90),
          "How long a closed challenge is remembered to answer late replies (expired, already confirmed).");

  /** {@code all}: a STOP opts out of every program of the phone; {@code program}: of its own. */
  public static final Setting<String> REPLIES_STOP_SCOPE =
      Setting.of(
          "replies.stop.scope",
          ValueType.STRING,
          "all",
          value -> value.equals("all") || value.equals("program") ? null : "must be all or program",
          "all, program",
          "Which programs a STOP (keyword or opt-out phrase) opts out of: `all`, every program known for the phone "
              + "(the safest under the TCPA); `program`, only the programs whose challenge was sent from the number the "
              + "STOP reached, else the program of the latest challenge, else all. A STOP is applied in the scope in force "
              + "when it arrives, and the ledger names the programs it revoked. See [replies.md](replies.md#which-programs-a-stop-opts-out-of-repliesstopscope).");

  /** Every setting the reply processor reads, the shared ones included. */
  public static final SettingsCatalogue CATALOGUE =
      SettingsCatalogue.of(
              SharedSettings.TWILIO_AUTH_TOKEN,
              OTP_MAX_ATTEMPTS,
              OTP_EXPIRY_GRACE,
              REPLIES_ANSWER_WAIT,
              SharedSettings.REPLIES_PUBLISH_TIMEOUT,
              REPLIES_DEDUPE_RETENTION,
              REPLIES_OUTCOME_RETENTION,
              REPLIES_CLOSED_RETENTION,
              REPLIES_STOP_SCOPE,
              SharedSettings.PROGRAMS_ALLOWED,
              ProcessSettings.PUBLIC_BASE_URL,
              ProcessSettings.HTTP_ADVERTISED_URL,
              ProcessSettings.API_TOKENS,
              ProcessSettings.HTTP_THREADS,
              ProcessSettings.STREAMS_STATE_DIR,
              ProcessSettings.STREAMS_ROCKSDB_MEMORY_MB,
              ProcessSettings.INSTANCE_ID)
          .withFamily(ReplyKeywords.SETTINGS_PREFIX);

  private RepliesSettings() {}
}
