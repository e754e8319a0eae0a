package io.optin.dispatcher.challenge;

import static io.optin.dispatcher.DispatcherSettings.OTP_EXPIRY;
import static io.optin.dispatcher.DispatcherSettings.OTP_MAX_RESENDS;
import static io.optin.dispatcher.DispatcherSettings.OTP_RESEND_COOLDOWN;
import static io.optin.dispatcher.DispatcherSettings.TWILIO_FROM;
import static io.optin.dispatcher.DispatcherSettings.TWILIO_MESSAGING_SERVICE_SID;

import io.optin.dispatcher.DispatcherSettings;
import io.optin.dispatcher.fallback.FallbackConfig;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the challenge topology: how long a code lives, when and how often it may be sent
 * again, and which sender (number or messaging service) the challenge records name.
 *
 * @param expiry how long a code confirms ({@code otp.expiry})
 * @param resendCooldown minimum event time between two sends of the same code ({@code
 *     otp.resend.cooldown}), shorter than the expiry
 * @param maxResends how many times one code may be sent again ({@code otp.max.resends})
 * @param fromNumber the sending number in E.164 ({@code twilio.from}); null when a messaging
 *     service sends
 * @param messagingServiceSid the Twilio messaging service ({@code twilio.messaging.service.sid}),
 *     or null
 * @param demoWindow true only when made by {@link #withDemoWindow}: the expiry may then be as short
 *     as {@value #MIN_DEMO_WINDOW_SECONDS} s so {@code optin demo} shows expiry within a minute. No
 *     setting turns it on: {@code otp.expiry} stays 1 to 60 minutes for every real deployment.
 * @param fallback the channels tried after the SMS and when ({@code fallback.*}); {@link
 *     FallbackConfig#NONE} for SMS only
 */
public record ChallengeTopologyConfig(
    Duration expiry,
    Duration resendCooldown,
    int maxResends,
    String fromNumber,
    String messagingServiceSid,
    boolean demoWindow,
    FallbackConfig fallback) {

  /**
   * The shortest window {@code optin demo} may use: long enough for a reply to travel through the
   * stack.
   */
  public static final long MIN_DEMO_WINDOW_SECONDS = 5;

  private static final Duration MAX_DEMO_WINDOW = Duration.ofMinutes(60);

  public ChallengeTopologyConfig {
    Objects.requireNonNull(expiry, OTP_EXPIRY.key());
    Objects.requireNonNull(resendCooldown, OTP_RESEND_COOLDOWN.key());
    if (demoWindow
        && (expiry.compareTo(Duration.ofSeconds(MIN_DEMO_WINDOW_SECONDS)) < 0
            || expiry.compareTo(MAX_DEMO_WINDOW) > 0)) {
      throw new IllegalArgumentException(
          "the demo window must be between "
              + MIN_DEMO_WINDOW_SECONDS
              + "s and 60m, got "
              + expiry);
    }
    if (resendCooldown.compareTo(expiry) >= 0) {
      // A cooldown as long as the window would make every resend impossible: say so instead of
      // silently. Each is in range on its own; only together they can disagree.
      throw new IllegalArgumentException(
          OTP_RESEND_COOLDOWN.key()
              + " must be shorter than "
              + OTP_EXPIRY.key()
              + " ("
              + expiry
              + "), got "
              + resendCooldown);
    }
    fromNumber = blankToNull(fromNumber);
    messagingServiceSid = blankToNull(messagingServiceSid);
    Objects.requireNonNull(fallback, "fallback");
  }

  /** A configuration with SMS only, the demo window as given. */
  public ChallengeTopologyConfig(
      Duration expiry,
      Duration resendCooldown,
      int maxResends,
      String fromNumber,
      String messagingServiceSid,
      boolean demoWindow) {
    this(
        expiry,
        resendCooldown,
        maxResends,
        fromNumber,
        messagingServiceSid,
        demoWindow,
        FallbackConfig.NONE);
  }

  /** A production configuration: {@code otp.expiry} as set, 1 to 60 minutes. */
  public ChallengeTopologyConfig(
      Duration expiry,
      Duration resendCooldown,
      int maxResends,
      String fromNumber,
      String messagingServiceSid) {
    this(expiry, resendCooldown, maxResends, fromNumber, messagingServiceSid, false);
  }

  /**
   * The challenge settings among {@code settings}.
   *
   * @throws SettingsException when no sender is set, the cooldown is not shorter than the expiry,
   *     or the fallback channels cannot be used (see {@link FallbackConfig#from})
   */
  public static ChallengeTopologyConfig from(Settings settings) {
    DispatcherSettings.requireSender(settings);
    return SettingsException.checked(
            () ->
                new ChallengeTopologyConfig(
                    settings.duration(OTP_EXPIRY),
                    settings.duration(OTP_RESEND_COOLDOWN),
                    settings.integer(OTP_MAX_RESENDS),
                    settings.optional(TWILIO_FROM).orElse(null),
                    settings.optional(TWILIO_MESSAGING_SERVICE_SID).orElse(null)))
        .withFallback(FallbackConfig.from(settings));
  }

  /** This configuration with the fallback channels of {@code fallback}. */
  public ChallengeTopologyConfig withFallback(FallbackConfig fallback) {
    return new ChallengeTopologyConfig(
        expiry, resendCooldown, maxResends, fromNumber, messagingServiceSid, demoWindow, fallback);
  }

  /**
   * This configuration with the short confirmation window of {@code optin demo} (for example 20 s
   * instead of 10 minutes), so a demo run shows codes expiring without waiting minutes. The resend
   * cooldown is shortened to half the window when longer, since it must stay shorter than the
   * window. Only the demo calls this.
   */
  public ChallengeTopologyConfig withDemoWindow(Duration window) {
    Objects.requireNonNull(window, "window");
    Duration cooldown = resendCooldown.compareTo(window) < 0 ? resendCooldown : window.dividedBy(2);
    return new ChallengeTopologyConfig(
        window, cooldown, maxResends, fromNumber, messagingServiceSid, true, fallback);
  }

  /**
   * What challenge records name as the sender: the number, else the messaging service, else null.
   */
  public String sender() {
    return fromNumber != null ? fromNumber : messagingServiceSid;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
