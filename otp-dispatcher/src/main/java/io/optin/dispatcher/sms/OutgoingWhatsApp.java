package io.optin.dispatcher.sms;

import io.optin.domain.otp.PhoneMask;
import java.net.URI;
import java.util.Objects;

/**
 * One WhatsApp template message: recipient and sender in E.164 (the {@code whatsapp:} prefix is
 * added when sending), the approved content template ({@code HX…}) and its variables as JSON (they
 * hold the code: never printed), and where Twilio posts the status (may be null).
 */
public record OutgoingWhatsApp(
    String to, String from, String contentSid, String contentVariables, URI statusCallback) {

  public static final String PREFIX = "whatsapp:";

  public OutgoingWhatsApp {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(from, "whatsapp.from");
    Objects.requireNonNull(contentSid, "whatsapp.content.sid");
    Objects.requireNonNull(contentVariables, "contentVariables");
  }

  @Override
  public String toString() {
    return "OutgoingWhatsApp[to="
        + PhoneMask.mask(to)
        + ", from="
        + from
        + ", contentSid="
        + contentSid
        + ", statusCallback="
        + statusCallback
        + "]";
  }
}
