package io.optin.kit.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The settings read by more than one service module, declared once here and referenced by each
 * module's catalogue: the one-time code's secret and length (the dispatcher sends codes, the reply
 * processor checks them, the audit sink masks them and derives its subject keys) and the Twilio
 * auth token (API calls and webhook signatures), and the publish timeout of the Twilio webhooks
 * (the reply processor's inbound webhook and code entry, the sender's status webhook), and the
 * programs that may be named (signups and code entries refuse others).
 */
public final class SharedSettings {

  /** HMAC-SHA256 keys: 256 bits, the security level of the hash. */
  private static final int MIN_SECRET_BYTES = 32;

  public static final Setting<Integer> OTP_LENGTH =
      Setting.integer("otp.length", 6, 4, 10, "Digits in a one-time code.");
  public static final Setting<String> OTP_SECRET =
      Setting.of(
          "otp.secret",
          ValueType.STRING,
          null,
          value ->
              value.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES
                  ? "must be at least "
                      + MIN_SECRET_BYTES
                      + " bytes long (generate one with `openssl rand -base64 48`)"
                  : null,
          MIN_SECRET_BYTES + " bytes or more",
          "Key of the keyed hash (and MAC) of codes. Required outside dev; `optin dev` generates one and keeps it "
              + "in `dev.data.dir`.");
  public static final Setting<String> TWILIO_AUTH_TOKEN =
      Setting.optionalText(
          "twilio.auth.token",
          "Twilio auth token: authenticates API calls (unless an API key is set) and checks webhook signatures.");

  public static final Setting<Duration> REPLIES_PUBLISH_TIMEOUT =
      Setting.duration(
          "replies.publish.timeout",
          Duration.ofSeconds(5),
          Duration.ofSeconds(1),
          Duration.ofMinutes(1),
          "Longest wait for Kafka's acknowledgement of a reply, code entry or delivery status posted by Twilio "
              + "before answering 503.");

  /**
   * Longest program id a signup may carry (the signup screen's limit on ids): a longer one could
   * never be named, so it is refused when declared.
   */
  public static final int MAX_PROGRAM_ID = 128;

  public static final Setting<List<String>> PROGRAMS_ALLOWED =
      Setting.of(
          "programs.allowed",
          ValueType.LIST,
          List.of(),
          SharedSettings::programIdsRefusal,
          "program ids, like `acme-deals,news`",
          "Programs a signup or a code entry (`POST /v1/verifications`) may name (others are answered 400 "
              + "naming `programId`); empty accepts any program.");

  public static final SettingsCatalogue CATALOGUE =
      SettingsCatalogue.of(
          OTP_LENGTH, OTP_SECRET, TWILIO_AUTH_TOKEN, REPLIES_PUBLISH_TIMEOUT, PROGRAMS_ALLOWED);

  private SharedSettings() {}

  /** Ids a signup could name: visible ASCII without ':', as the signup screen accepts them. */
  private static String programIdsRefusal(List<String> ids) {
    List<String> bad =
        ids.stream()
            .filter(id -> id.length() > MAX_PROGRAM_ID || !id.matches("[\\x21-\\x39\\x3B-\\x7E]+"))
            .toList();
    return bad.isEmpty()
        ? null
        : "must be program ids: visible ASCII without ':', at most "
            + MAX_PROGRAM_ID
            + " characters (not "
            + bad
            + ")";
  }
}
