package io.optin.dispatcher.sms;

/**
 * What the provider said when asked whether it already has a message: found, absent, or no answer.
 */
public sealed interface LookupResult {

  /** The provider holds a matching message: it was sent, and must not be sent again. */
  record Found(String sid, String status) implements LookupResult {}

  /** The provider listed the recipient's messages and none matched. */
  record NotFound() implements LookupResult {}

  /**
   * The provider could not answer; {@code failure} is a {@link SendResult.TransientFailure} (worth
   * asking again) or a {@link SendResult.PermanentFailure}.
   */
  record Failed(SendResult failure) implements LookupResult {}
}
