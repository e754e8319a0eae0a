package io.optin.dispatcher;

import io.optin.dispatcher.fallback.FallbackChannels;
import io.optin.dispatcher.message.MessageTemplates;
import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.Setting;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsCatalogue;
import io.optin.kit.config.SettingsException;
import io.optin.kit.config.SharedSettings;
import io.optin.kit.config.ValueType;
import java.time.Duration;
import java.util.List;

/**
 * The settings of the OTP dispatcher and the SMS sender: the challenge's window and resends ({@code
 * otp.*}), the Twilio account and sender ({@code twilio.*}), the sending pace ({@code sms.*}) and
 * the message texts ({@code programs.brands} and the {@code templates.*} family), the fallback
 * channels ({@code fallback.*}, {@code whatsapp.*}, {@code programs.<id>.fallback.channels}). The
 * code secret and length and the auth token are {@link SharedSettings}.
 */
public final class DispatcherSettings {

  // One-time codes
  public static final Setting<Duration> OTP_EXPIRY =
      Setting.duration(
          "otp.expiry",
          Duration.ofMinutes(10),
          Duration.ofMinutes(1),
          Duration.ofMinutes(60),
          "How long a code and a YES reply are accepted after the code is sent; the SMS states it.");
  public static final Setting<Duration> OTP_RESEND_COOLDOWN =
      Setting.duration(
          "otp.resend.cooldown",
          Duration.ofSeconds(60),
          Duration.ZERO,
          Duration.ofHours(1),
          "Minimum time between two sends of a code.");
  public static final Setting<Integer> OTP_MAX_RESENDS =
      Setting.integer("otp.max.resends", 3, 0, 10, "Resends allowed per challenge.");

  // Twilio
  public static final Setting<String> TWILIO_ACCOUNT_SID =
      Setting.optionalText(
          "twilio.account.sid",
          "Twilio account SID. When no Twilio credentials are set, `optin dev` uses its built-in sandbox.");
  public static final Setting<String> TWILIO_API_KEY_SID =
      Setting.optionalText(
          "twilio.api.key.sid",
          "Twilio API key SID, used instead of the auth token for API calls.");
  public static final Setting<String> TWILIO_API_KEY_SECRET =
      Setting.optionalText("twilio.api.key.secret", "Secret of the Twilio API key.");
  public static final Setting<String> TWILIO_FROM =
      Setting.optionalText(
          "twilio.from",
          "Sender phone number (E.164); set this or `twilio.messaging.service.sid`.");
  public static final Setting<String> TWILIO_MESSAGING_SERVICE_SID =
      Setting.optionalText(
          "twilio.messaging.service.sid",
          "Twilio Messaging Service that picks the sender; set this or `twilio.from`.");
  public static final Setting<String> TWILIO_API_BASE_URL =
      Setting.optionalText(
          "twilio.api.base.url",
          "Base URL of the Messages API; empty means Twilio's own. Set it for a Twilio-compatible provider or the "
              + "sandbox.");

  // Programs
  public static final Setting<List<String>> PROGRAMS_BRANDS =
      Setting.of(
          "programs.brands",
          ValueType.LIST,
          List.of(),
          DispatcherSettings::brandsRefusal,
          "`programId=Brand` pairs, like `acme-deals=Acme,news=Daily News`",
          "The brand each program's messages are signed with; a program without one is named by its id.");

  // Fallback channels
  public static final Setting<List<String>> FALLBACK_CHANNELS =
      Setting.of(
          "fallback.channels",
          ValueType.LIST,
          List.of("sms"),
          FallbackChannels::refusal,
          "`sms`, then `voice` and/or `whatsapp`, in order, each once, like `sms,voice,whatsapp`",
          "The channels a code goes out by, in order, for every program without its own "
              + "`programs.<programId>.fallback.channels`: the next one is tried when the previous one "
              + "fails for good or is not delivered within `fallback.after` (see docs/fallback.md).");
  public static final Setting<Duration> FALLBACK_AFTER =
      Setting.duration(
          "fallback.after",
          Duration.ofSeconds(60),
          Duration.ofSeconds(5),
          Duration.ofMinutes(10),
          "How long a code may go undelivered on one channel before the next channel of the program "
              + "is tried.");
  public static final Setting<String> WHATSAPP_FROM =
      Setting.of(
          "whatsapp.from",
          ValueType.STRING,
          null,
          value ->
              value.matches("\\+[1-9][0-9]{6,14}")
                  ? null
                  : "must be a number in E.164, like +14155550100",
          "a number in E.164",
          "The WhatsApp-enabled sender number; required when a program falls back to `whatsapp`.");
  public static final Setting<String> WHATSAPP_CONTENT_SID =
      Setting.of(
          "whatsapp.content.sid",
          ValueType.STRING,
          null,
          value ->
              value.matches("HX[0-9a-fA-F]{32}")
                  ? null
                  : "must be a Twilio content template sid: HX and 32 hexadecimal digits",
          "`HX` and 32 hexadecimal digits",
          "The approved WhatsApp content template sending the code, with variables {{1}} (the code) "
              + "and {{2}} (minutes valid); required when a program falls back to `whatsapp`.");

  /** The family of per-program settings: {@code programs.<programId>.fallback.channels}. */
  public static final String PROGRAMS_PREFIX = "programs.";

  // SMS sending
  public static final Setting<Integer> SMS_RATE_PER_SECOND =
      Setting.integer(
          "sms.rate.per.second",
          10,
          1,
          10_000,
          "SMS sent per second at most, per sender instance.");
  public static final Setting<Integer> SMS_MAX_CONCURRENCY =
      Setting.integer(
          "sms.max.concurrency",
          256,
          1,
          1024,
          "Provider requests in flight at once, per sender instance; the outbox is paused while as many "
              + "commands are in flight. 256 sends about 800 SMS/s to a provider answering in 300 ms.");
  public static final Setting<String> SMS_SENDER_ID =
      Setting.of(
          "sms.sender.id",
          ValueType.STRING,
          null,
          value ->
              value.matches("[A-Za-z0-9._-]{1,100}")
                  ? null
                  : "must be 1 to 100 letters, digits, '.', '_' or '-'",
          "1 to 100 letters, digits, `.`, `_`, `-`",
          "Stable name of this sender instance (its transactional id is "
              + "`optin-sms-sender-<id>`); a restarted instance must keep it, two live ones must not share it. "
              + "Not set: the host name.");
  public static final Setting<Integer> SMS_MAX_ATTEMPTS =
      Setting.integer(
          "sms.max.attempts",
          3,
          1,
          10,
          "Attempts per SMS when the provider fails transiently (permanent errors are never retried).");
  public static final Setting<Duration> SMS_DEDUPE_WINDOW =
      Setting.duration(
          "sms.dedupe.window",
          Duration.ofDays(7),
          Duration.ofHours(1),
          Duration.ofDays(30),
          "How far back a starting sender reads its delivery reports (to skip commands already handled) and its "
              + "send intents (to look up at the provider, before sending again, a command never reported).");

  /** Every setting the dispatcher and the sender read, the shared ones included. */
  public static final SettingsCatalogue CATALOGUE =
      SettingsCatalogue.of(
              TWILIO_ACCOUNT_SID,
              SharedSettings.TWILIO_AUTH_TOKEN,
              SharedSettings.REPLIES_PUBLISH_TIMEOUT,
              TWILIO_API_KEY_SID,
              TWILIO_API_KEY_SECRET,
              TWILIO_FROM,
              TWILIO_MESSAGING_SERVICE_SID,
              TWILIO_API_BASE_URL,
              OTP_EXPIRY,
              OTP_RESEND_COOLDOWN,
              OTP_MAX_RESENDS,
              PROGRAMS_BRANDS,
              SMS_RATE_PER_SECOND,
              SMS_MAX_CONCURRENCY,
              SMS_SENDER_ID,
              SMS_MAX_ATTEMPTS,
              SMS_DEDUPE_WINDOW,
              FALLBACK_CHANNELS,
              FALLBACK_AFTER,
              WHATSAPP_FROM,
              WHATSAPP_CONTENT_SID,
              ProcessSettings.PUBLIC_BASE_URL)
          .withFamily(MessageTemplates.SETTINGS_PREFIX)
          .withFamily(PROGRAMS_PREFIX);

  private DispatcherSettings() {}

  /**
   * Refuses to start what sends SMS without a sender: {@code twilio.from} or {@code
   * twilio.messaging.service.sid}.
   *
   * @throws SettingsException when neither is set
   */
  public static void requireSender(Settings settings) {
    if (settings.optional(TWILIO_FROM).isEmpty()
        && settings.optional(TWILIO_MESSAGING_SERVICE_SID).isEmpty()) {
      throw new SettingsException(
          TWILIO_FROM.key()
              + " or "
              + TWILIO_MESSAGING_SERVICE_SID.key()
              + " must be set: it is the sender of every SMS (set "
              + TWILIO_FROM.environmentVariable()
              + "=+1... or "
              + TWILIO_FROM.key()
              + " in the --config file)");
    }
  }

  private static String brandsRefusal(List<String> pairs) {
    List<String> bad = pairs.stream().filter(pair -> !pair.matches("[^=\\s]+=.*\\S.*")).toList();
    return bad.isEmpty() ? null : "must be programId=Brand pairs (not " + bad + ")";
  }
}
