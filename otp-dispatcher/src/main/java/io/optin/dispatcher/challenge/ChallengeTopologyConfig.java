package io.optin.dispatcher.challenge;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the challenge topology: how long a code lives, when and how often it may be sent again, and
 * which sender (number or messaging service) the challenge records name.
 *
 * @param expiry how long a code confirms (setting {@code otp.expiry}, 1 to 60 minutes)
 * @param resendCooldown minimum event time between two sends of the same code ({@code otp.resend.cooldown})
 * @param maxResends how many times one code may be sent again ({@code otp.max.resends})
 * @param fromNumber the sending number in E.164 ({@code twilio.from}); null when a messaging service sends
 * @param messagingServiceSid the Twilio messaging service ({@code twilio.messaging.service.sid}), or null
 */
public record ChallengeTopologyConfig(
    Duration expiry, Duration resendCooldown, int maxResends, String fromNumber, String messagingServiceSid) {

  public static final String EXPIRY_SETTING = "otp.expiry";
  public static final String RESEND_COOLDOWN_SETTING = "otp.resend.cooldown";
  public static final String MAX_RESENDS_SETTING = "otp.max.resends";

  public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(10);
  public static final Duration DEFAULT_RESEND_COOLDOWN = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_RESENDS = 3;

  private static final Duration MIN_EXPIRY = Duration.ofMinutes(1);
  private static final Duration MAX_EXPIRY = Duration.ofMinutes(60);

  public ChallengeTopologyConfig {
    Objects.requireNonNull(expiry, EXPIRY_SETTING);
    Objects.requireNonNull(resendCooldown, RESEND_COOLDOWN_SETTING);
    if (expiry.compareTo(MIN_EXPIRY) < 0 || expiry.compareTo(MAX_EXPIRY) > 0) {
      throw new IllegalArgumentException(EXPIRY_SETTING + " must be between 1m and 60m, got " + expiry);
    }
    if (resendCooldown.isNegative() || resendCooldown.compareTo(expiry) >= 0) {
      // A cooldown as long as the window would make every resend impossible: say so instead of silently.
      throw new IllegalArgumentException(RESEND_COOLDOWN_SETTING + " must be at least 0 and shorter than "
          + EXPIRY_SETTING + " (" + expiry + "), got " + resendCooldown);
    }
    if (maxResends < 0) {
      throw new IllegalArgumentException(MAX_RESENDS_SETTING + " must be 0 or more, got " + maxResends);
    }
    fromNumber = blankToNull(fromNumber);
    messagingServiceSid = blankToNull(messagingServiceSid);
  }

  /** The documented defaults (10 minutes, 60 s cooldown, 3 resends) sending from {@code fromNumber}. */
  public static ChallengeTopologyConfig defaults(String fromNumber) {
    return new ChallengeTopologyConfig(DEFAULT_EXPIRY, DEFAULT_RESEND_COOLDOWN, DEFAULT_MAX_RESENDS, fromNumber, null);
  }

  /** What challenge records name as the sender: the number, else the messaging service, else null. */
  public String sender() {
    return fromNumber != null ? fromNumber : messagingServiceSid;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
