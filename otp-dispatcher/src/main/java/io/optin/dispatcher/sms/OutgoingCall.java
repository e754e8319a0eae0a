package io.optin.dispatcher.sms;

import io.optin.domain.otp.PhoneMask;
import java.net.URI;
import java.util.Objects;

/**
 * One call to place: recipient and caller (E.164), the TwiML it plays (it holds the code: never
 * printed), and where Twilio posts the call's status (may be null).
 */
public record OutgoingCall(String to, String from, String twiml, URI statusCallback) {

  public OutgoingCall {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(from, "a call is placed from a number (twilio.from)");
    Objects.requireNonNull(twiml, "twiml");
  }

  @Override
  public String toString() {
    return "OutgoingCall[to="
        + PhoneMask.mask(to)
        + ", from="
        + from
        + ", twiml=("
        + twiml.length()
        + " chars), statusCallback="
        + statusCallback
        + "]";
  }
}
