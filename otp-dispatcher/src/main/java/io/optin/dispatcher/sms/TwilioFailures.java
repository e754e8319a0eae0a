package io.optin.dispatcher.sms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a Twilio error code on a failed attempt (an API refusal or a status callback) means for the
 * code's next channel: try it at once, let {@code fallback.after} decide, or never. One table; the
 * sibling {@link TwilioErrorClassifier} decides retries of one request, this one the channel.
 * docs/fallback.md shows the same table.
 */
public final class TwilioFailures {

  /** What becomes of a challenge whose attempt failed with a code. */
  public enum FallbackRule {
    /** This channel will never reach this phone: the next channel is tried at once. */
    NEXT_CHANNEL_NOW,
    /** Unclear: the next channel is tried if nothing is delivered within {@code fallback.after}. */
    AFTER_DELAY,
    /**
     * No channel may be tried: the number is wrong, the subscriber refused, or the account cannot
     * send at all.
     */
    NO_FALLBACK
  }

  /** One code: what Twilio means, what optin does, and why. */
  public record Row(int code, String meaning, FallbackRule rule, String why) {}

  /** Every classified code, in the order docs/fallback.md lists them. */
  public static final List<Row> TABLE =
      List.of(
          row(
              21211,
              "invalid 'To' phone number",
              FallbackRule.NO_FALLBACK,
              "the number itself is wrong: no channel reaches it"),
          row(
              21217,
              "phone number does not appear to be valid",
              FallbackRule.NO_FALLBACK,
              "the number itself is wrong: no channel reaches it"),
          row(
              21610,
              "recipient unsubscribed (replied STOP)",
              FallbackRule.NO_FALLBACK,
              "the subscriber refused our messages: calling or messaging them elsewhere would ignore it"),
          row(
              30004,
              "message blocked by the recipient or its carrier",
              FallbackRule.NO_FALLBACK,
              "a block may be the subscriber's own choice: respected"),
          row(
              30002,
              "account suspended",
              FallbackRule.NO_FALLBACK,
              "the account cannot send on any channel"),
          row(
              20003,
              "authentication failed",
              FallbackRule.NO_FALLBACK,
              "the account cannot send on any channel"),
          row(
              21614,
              "'To' is not a mobile number",
              FallbackRule.NEXT_CHANNEL_NOW,
              "a landline never receives an SMS; it takes a call"),
          row(
              21612,
              "'To' cannot be reached by SMS from this sender",
              FallbackRule.NEXT_CHANNEL_NOW,
              "this channel cannot reach the phone"),
          row(
              21408,
              "SMS to this region is not enabled on the account",
              FallbackRule.NEXT_CHANNEL_NOW,
              "calls and WhatsApp have permissions of their own"),
          row(
              21215,
              "calls to this region are not enabled on the account",
              FallbackRule.NEXT_CHANNEL_NOW,
              "SMS and WhatsApp have permissions of their own"),
          row(
              30003,
              "unreachable destination handset",
              FallbackRule.NEXT_CHANNEL_NOW,
              "the handset is off or out of coverage for SMS"),
          row(
              30005,
              "unknown destination handset",
              FallbackRule.NEXT_CHANNEL_NOW,
              "the carrier does not know the handset for SMS"),
          row(
              30006,
              "landline or unreachable carrier",
              FallbackRule.NEXT_CHANNEL_NOW,
              "a landline never receives an SMS; it takes a call"),
          row(
              30007,
              "message filtered by the carrier",
              FallbackRule.NEXT_CHANNEL_NOW,
              "the carrier drops this SMS; another channel is not filtered by it"),
          row(
              30034,
              "US A2P 10DLC sender not registered",
              FallbackRule.NEXT_CHANNEL_NOW,
              "carriers drop the SMS; calls and WhatsApp are not subject to 10DLC"),
          row(
              63003,
              "WhatsApp: the number has no WhatsApp account",
              FallbackRule.NEXT_CHANNEL_NOW,
              "this channel cannot reach the phone"),
          row(
              63024,
              "WhatsApp: invalid message recipient",
              FallbackRule.NEXT_CHANNEL_NOW,
              "this channel cannot reach the phone"),
          row(
              30001,
              "queue overflow",
              FallbackRule.AFTER_DELAY,
              "the provider was busy: the delay decides"),
          row(
              30008,
              "unknown error",
              FallbackRule.AFTER_DELAY,
              "nothing says the channel cannot work: the delay decides"),
          row(
              30009,
              "missing segment",
              FallbackRule.AFTER_DELAY,
              "part of the message may still arrive: the delay decides"));

  private static final Map<Integer, Row> BY_CODE = index();

  private TwilioFailures() {}

  /** The row of {@code code}; empty for a code not in the table (or none). */
  public static Optional<Row> row(Integer code) {
    return code == null ? Optional.empty() : Optional.ofNullable(BY_CODE.get(code));
  }

  /**
   * The rule of a failed attempt's code: its row's, else {@link FallbackRule#AFTER_DELAY} (an
   * unknown code never skips the wait, nor forbids the next channel).
   */
  public static FallbackRule ruleFor(Integer code) {
    return row(code).map(Row::rule).orElse(FallbackRule.AFTER_DELAY);
  }

  private static Row row(int code, String meaning, FallbackRule rule, String why) {
    return new Row(code, meaning, rule, why);
  }

  private static Map<Integer, Row> index() {
    Map<Integer, Row> byCode = new LinkedHashMap<>();
    for (Row row : TABLE) {
      if (byCode.put(row.code(), row) != null) {
        throw new IllegalStateException("code " + row.code() + " is in the table twice");
      }
    }
    return Map.copyOf(byCode);
  }
}
