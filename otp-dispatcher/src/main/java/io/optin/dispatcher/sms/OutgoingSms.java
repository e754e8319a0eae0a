package io.optin.dispatcher.sms;

import io.optin.domain.otp.PhoneMask;
import java.net.URI;
import java.util.Objects;

/**
 * One SMS to send: recipient (E.164), sender (a number or a Messaging Service), text and status
 * callback URL.
 *
 * <p>The text usually carries a one-time code, and the phone is personal data: neither is printed
 * by {@link #toString()}.
 */
public record OutgoingSms(
    String to, String from, String messagingServiceSid, String body, URI statusCallback) {

  public OutgoingSms {
    requireText(to, "to");
    requireText(body, "body");
    if ((from == null) == (messagingServiceSid == null)) {
      throw new IllegalArgumentException("exactly one of from and messagingServiceSid is required");
    }
    if (from != null) {
      requireText(from, "from");
    } else {
      requireText(messagingServiceSid, "messagingServiceSid");
    }
  }

  /** Sent from one of the account's numbers. {@code statusCallback} may be null. */
  public static OutgoingSms fromNumber(String to, String from, String body, URI statusCallback) {
    return new OutgoingSms(to, from, null, body, statusCallback);
  }

  /**
   * Sent through a Messaging Service, which picks the sender. {@code statusCallback} may be null.
   */
  public static OutgoingSms viaMessagingService(
      String to, String messagingServiceSid, String body, URI statusCallback) {
    return new OutgoingSms(to, null, messagingServiceSid, body, statusCallback);
  }

  private static void requireText(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }

  @Override
  public String toString() {
    return "OutgoingSms[to="
        + PhoneMask.mask(to)
        + (from != null ? ", from=" + from : ", messagingServiceSid=" + messagingServiceSid)
        + ", body=("
        + body.length()
        + " chars), statusCallback="
        + statusCallback
        + "]";
  }
}
