package io.optin.dispatcher.challenge;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the challenge topology: how long a code lives, when and how often it may be sent
 * again, and which sender (number or messaging service) the challenge records name.
 *
 * @param expiry how long a code confirms (setting {@code otp.expiry}, 1 to 60 minutes)
 * @param resendCooldown minimum event time between two sends of the same code ({@code
 *     otp.resend.cooldown})
 * @param maxResends how many times one code may be sent again ({@code otp.max.resends})
 * @param fromNumber the sending number in E.164 ({@code twilio.from}); null when a messaging
 *     service sends
 * @param messagingServiceSid the Twilio messaging service ({@code twilio.messaging.service.sid}),
 *     or null
 * @param demoWindow true only when made by {@link #withDemoWindow}: the expiry may then be as short
 *     as {@value #MIN_DEMO_WINDOW_SECONDS} s so {@code optin demo} shows expiry within a minute. No
 *     setting turns it on: {@code otp.expiry} stays 1 to 60 minutes for every real deployment.
 */
public record ChallengeTopologyConfig(
    Duration expiry,
    Duration resendCooldown,
    int maxResends,
    String fromNumber,
    String messagingServiceSid,
    boolean demoWindow) {

  public static final String EXPIRY_SETTING = "otp.expiry";
  public static final String RESEND_COOLDOWN_SETTING = "otp.resend.cooldown";
  public static final String MAX_RESENDS_SETTING = "otp.max.resends";

  public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(10);
  public static final Duration DEFAULT_RESEND_COOLDOWN = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_RESENDS = 3;

  /**
   * The shortest window {@code optin demo} may use: long enough for a reply to travel through the
   * stack.
   */
  public static final long MIN_DEMO_WINDOW_SECONDS = 5;

  private static final Duration MIN_EXPIRY = Duration.ofMinutes(1);
  private static final Duration MAX_EXPIRY = Duration.ofMinutes(60);

  public ChallengeTopologyConfig {
    Objects.requireNonNull(expiry, EXPIRY_SETTING);
    Objects.requireNonNull(resendCooldown, RESEND_COOLDOWN_SETTING);
    if (demoWindow) {
      if (expiry.compareTo(Duration.ofSeconds(MIN_DEMO_WINDOW_SECONDS)) < 0
          || expiry.compareTo(MAX_EXPIRY) > 0) {
        throw new IllegalArgumentException(
            "the demo window must be between "
                + MIN_DEMO_WINDOW_SECONDS
                + "s and 60m, got "
                + expiry);
      }
    } else if (expiry.compareTo(MIN_EXPIRY) < 0 || expiry.compareTo(MAX_EXPIRY) > 0) {
      throw new IllegalArgumentException(
          EXPIRY_SETTING + " must be between 1m and 60m, got " + expiry);
    }
    if (resendCooldown.isNegative() || resendCooldown.compareTo(expiry) >= 0) {
      // A cooldown as long as the window would make every resend impossible: say so instead of
      // silently.
      throw new IllegalArgumentException(
          RESEND_COOLDOWN_SETTING
              + " must be at least 0 and shorter than "
              + EXPIRY_SETTING
              + " ("
              + expiry
              + "), got "
              + resendCooldown);
    }
    if (maxResends < 0) {
      throw new IllegalArgumentException(
          MAX_RESENDS_SETTING + " must be 0 or more, got " + maxResends);
    }
    fromNumber = blankToNull(fromNumber);
    messagingServiceSid = blankToNull(messagingServiceSid);
  }

  /** A production configuration: {@code otp.expiry} between 1 and 60 minutes. */
  public ChallengeTopologyConfig(
      Duration expiry,
      Duration resendCooldown,
      int maxResends,
      String fromNumber,
      String messagingServiceSid) {
    this(expiry, resendCooldown, maxResends, fromNumber, messagingServiceSid, false);
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
        window, cooldown, maxResends, fromNumber, messagingServiceSid, true);
  }

  /**
   * The documented defaults (10 minutes, 60 s cooldown, 3 resends) sending from {@code fromNumber}.
   */
  public static ChallengeTopologyConfig defaults(String fromNumber) {
    return new ChallengeTopologyConfig(
        DEFAULT_EXPIRY, DEFAULT_RESEND_COOLDOWN, DEFAULT_MAX_RESENDS, fromNumber, null);
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
