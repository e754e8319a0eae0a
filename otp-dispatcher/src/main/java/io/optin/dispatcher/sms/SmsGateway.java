package io.optin.dispatcher.sms;

/**
 * Hands one SMS to an SMS provider and says, as a value, what happened. Never throws for provider
 * failures.
 */
public interface SmsGateway {

  SendResult send(OutgoingSms sms);
}
