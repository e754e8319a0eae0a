package io.optin.dispatcher.fallback;

import static io.optin.dispatcher.DispatcherSettings.FALLBACK_AFTER;
import static io.optin.dispatcher.DispatcherSettings.FALLBACK_CHANNELS;
import static io.optin.dispatcher.DispatcherSettings.TWILIO_FROM;
import static io.optin.dispatcher.DispatcherSettings.WHATSAPP_CONTENT_SID;
import static io.optin.dispatcher.DispatcherSettings.WHATSAPP_FROM;

import io.optin.avro.MessageChannel;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * When and how a code that did not arrive by SMS goes out again by another channel.
 *
 * @param channels the ordered channels per program ({@code fallback.channels}, {@code
 *     programs.<programId>.fallback.channels})
 * @param after how long an attempt may stay undelivered before the next channel is tried ({@code
 *     fallback.after}, 5 s to 10 min)
 */
public record FallbackConfig(FallbackChannels channels, Duration after) {

  /** SMS only, the default: nothing falls back. */
  public static final FallbackConfig NONE =
      new FallbackConfig(FallbackChannels.SMS_ONLY, Duration.ofSeconds(60));

  public FallbackConfig {
    Objects.requireNonNull(channels, "channels");
    Objects.requireNonNull(after, FALLBACK_AFTER.key());
    if (after.compareTo(Duration.ofSeconds(5)) < 0 || after.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(
          FALLBACK_AFTER.key() + " must be between 5s and 10m, got " + after);
    }
  }

  /**
   * The fallback settings among {@code settings}, refusing at start what could not send: a program
   * on {@code whatsapp} needs {@code whatsapp.from} and {@code whatsapp.content.sid}, one on {@code
   * voice} needs {@code twilio.from} (a call is placed from a number, never from a messaging
   * service).
   *
   * @throws SettingsException naming every missing or malformed setting
   */
  public static FallbackConfig from(Settings settings) {
    FallbackConfig config =
        SettingsException.checked(
            () ->
                new FallbackConfig(
                    FallbackChannels.from(settings), settings.duration(FALLBACK_AFTER)));
    List<String> missing = new ArrayList<>();
    if (config.channels().uses(MessageChannel.WHATSAPP)) {
      if (settings.optional(WHATSAPP_FROM).isEmpty()) {
        missing.add(
            needs("whatsapp", WHATSAPP_FROM.key() + " (the WhatsApp-enabled sender, E.164)"));
      }
      if (settings.optional(WHATSAPP_CONTENT_SID).isEmpty()) {
        missing.add(
            needs(
                "whatsapp",
                WHATSAPP_CONTENT_SID.key() + " (the approved content template, HX...)"));
      }
    }
    if (config.channels().uses(MessageChannel.VOICE) && settings.optional(TWILIO_FROM).isEmpty()) {
      missing.add(needs("voice", TWILIO_FROM.key() + " (the number calls are placed from)"));
    }
    if (!missing.isEmpty()) {
      throw new SettingsException(missing);
    }
    return config;
  }

  private static String needs(String channel, String setting) {
    return FALLBACK_CHANNELS.key()
        + " (or a program's own list) names "
        + channel
        + ", which needs "
        + setting;
  }
}
