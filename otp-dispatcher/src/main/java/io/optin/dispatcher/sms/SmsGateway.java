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
}
