package io.optin.dispatcher.sms;

import com.twilio.http.TwilioRestClient;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds the twilio-java client optin sends with: one HTTP request per call, our timeouts, our base
 * URL.
 */
public final class TwilioClients {

  private TwilioClients() {}

  /**
   * A client for the settings' account. Close it with {@link #close(TwilioRestClient)} to free its
   * connections.
   */
  public static TwilioRestClient create(TwilioClientSettings settings) {
    TwilioCredentials credentials = settings.credentials();
    SingleAttemptHttpClient http =
        new SingleAttemptHttpClient(
            settings.apiBaseUrl(), settings.connectTimeout(), settings.readTimeout());
    return new TwilioRestClient.Builder(credentials.username(), credentials.secret())
        .accountSid(credentials.accountSid())
        .httpClient(http)
        .build();
  }

  /** Releases the pooled connections of a client made by {@link #create(TwilioClientSettings)}. */
  public static void close(TwilioRestClient client) {
    if (client.getHttpClient() instanceof SingleAttemptHttpClient http) {
      try {
        http.close();
      } catch (IOException e) {
        throw new UncheckedIOException("closing the Twilio HTTP client", e);
      }
    }
  }
}
