package io.optin.dispatcher.sms;

/**
 * Hands one SMS to an SMS provider, or asks it whether it already holds one, and says, as a value,
 * what happened. Never throws for provider failures.
 */
public interface SmsGateway {

  SendResult send(OutgoingSms sms);

  /**
   * Whether the provider already holds a message matching {@code query} (one request per page of
   * the provider's list); the sender asks before texting again a command whose earlier attempt has
   * no report.
   */
  LookupResult findSent(SentMessageQuery query);

  /** Places a call that speaks the code (the voice fallback). */
  default SendResult call(OutgoingCall call) {
    return new SendResult.PermanentFailure(null, "this provider places no calls");
  }

  /** Sends a WhatsApp template message (the WhatsApp fallback). */
  default SendResult sendWhatsApp(OutgoingWhatsApp message) {
    return new SendResult.PermanentFailure(null, "this provider sends no WhatsApp messages");
  }
}
