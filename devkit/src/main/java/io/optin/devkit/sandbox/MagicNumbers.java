package io.optin.devkit.sandbox;

import java.util.Map;
import java.util.Optional;

/**
 * Twilio's test-credential magic numbers: a 'To' or 'From' that always fails the same documented
 * way.
 *
 * <ul>
 *   <li>To +15005550001: 21211 invalid number; +15005550002: 21612 cannot route; +15005550003:
 *       21408 no permission for the region; +15005550004: 21610 unsubscribed (STOP); +15005550009:
 *       21614 not SMS-capable.
 *   <li>From +15005550001: 21212 invalid; +15005550007: 21606 not a number of this account;
 *       +15005550008: 21611 sender's queue full.
 *   <li>Calls: To +15005550001: 21217 invalid; +15005550002: 21214 cannot be reached; +15005550003:
 *       21215 no permission for the region; +15005550004: 21216 blocked. From +15005550001: 21212
 *       invalid; +15005550007: 21210 not a number of this account.
 *   <li>{@link #LANDLINE} +15005553006 (the sandbox's own, its last digits name the error): a
 *       landline. An SMS to it is accepted, then reported undelivered with 30006 (landline or
 *       unreachable carrier), as Twilio reports landlines; a WhatsApp message to it fails with
 *       63003 (no WhatsApp account at that number); a call to it rings and is answered.
 * </ul>
 */
public final class MagicNumbers {

  private static final Map<String, Rejection> TO =
      Map.of(
          "+15005550001", to -> TwilioError.invalidTo(to),
          "+15005550002",
              to ->
                  new TwilioError(
                      400,
                      21612,
                      "The 'To' phone number: "
                          + to
                          + ", is not currently reachable using the 'From' phone number via SMS."),
          "+15005550003",
              to ->
                  new TwilioError(
                      400,
                      21408,
                      "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: "
                          + to
                          + "."),
          "+15005550004",
              to -> new TwilioError(400, 21610, "Attempt to send to unsubscribed recipient"),
          "+15005550009",
              to -> new TwilioError(400, 21614, "'To' number is not a valid mobile number"));

  private static final Map<String, Rejection> FROM =
      Map.of(
          "+15005550001", from -> TwilioError.invalidFrom(from),
          "+15005550007",
              from ->
                  new TwilioError(
                      400,
                      21606,
                      "The 'From' phone number provided is not a valid, message-capable Twilio phone number."),
          "+15005550008",
              from ->
                  new TwilioError(
                      400,
                      21611,
                      "This 'From' number has exceeded the maximum number of queued messages"));

  /** A landline: SMS undelivered (30006), WhatsApp failed (63003), calls answered. */
  public static final String LANDLINE = "+15005553006";

  private static final String WHATSAPP = "whatsapp:";

  private static final Map<String, Rejection> CALL_TO =
      Map.of(
          "+15005550001",
              to -> new TwilioError(400, 21217, "Phone number does not appear to be valid"),
          "+15005550002", to -> new TwilioError(400, 21214, "'To' phone number cannot be reached"),
          "+15005550003",
              to ->
                  new TwilioError(
                      400,
                      21215,
                      "Account not authorized to call "
                          + to
                          + ". Perhaps you need to enable some international permissions"),
          "+15005550004", to -> new TwilioError(400, 21216, "Call blocked by Twilio blocklist"));

  private static final Map<String, Rejection> CALL_FROM =
      Map.of(
          "+15005550001", from -> TwilioError.invalidFrom(from),
          "+15005550007",
              from ->
                  new TwilioError(
                      400,
                      21210,
                      "The source phone number provided, "
                          + from
                          + ", is not yet verified for your account."));

  @FunctionalInterface
  private interface Rejection {
    TwilioError of(String number);
  }

  private MagicNumbers() {}

  static Optional<TwilioError> rejectTo(String to) {
    return Optional.ofNullable(TO.get(to)).map(rejection -> rejection.of(to));
  }

  static Optional<TwilioError> rejectCallTo(String to) {
    return Optional.ofNullable(CALL_TO.get(to)).map(rejection -> rejection.of(to));
  }

  static Optional<TwilioError> rejectCallFrom(String from) {
    return Optional.ofNullable(CALL_FROM.get(from)).map(rejection -> rejection.of(from));
  }

  /**
   * What the network reports for a message accepted to this magic destination ({@code
   * whatsapp:}-prefixed for WhatsApp), whatever the delivery script says; empty for any other.
   */
  static Optional<DeliveryOutcome> deliveryTo(String to) {
    if (LANDLINE.equals(to)) {
      return Optional.of(DeliveryOutcome.undelivered(30006));
    }
    if ((WHATSAPP + LANDLINE).equals(to)) {
      return Optional.of(DeliveryOutcome.failed(63003));
    }
    return Optional.empty();
  }

  static Optional<TwilioError> rejectFrom(String from) {
    return from == null
        ? Optional.empty()
        : Optional.ofNullable(FROM.get(from)).map(rejection -> rejection.of(from));
  }
}
