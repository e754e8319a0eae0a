package io.optin.dispatcher.sms;

import static io.optin.dispatcher.DispatcherSettings.TWILIO_ACCOUNT_SID;
import static io.optin.dispatcher.DispatcherSettings.TWILIO_API_BASE_URL;
import static io.optin.dispatcher.DispatcherSettings.TWILIO_API_KEY_SECRET;
import static io.optin.dispatcher.DispatcherSettings.TWILIO_API_KEY_SID;
import static io.optin.kit.config.SharedSettings.TWILIO_AUTH_TOKEN;

import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Twilio: credentials, an optional base URL replacing {@code https://api.twilio.com}
 * (a Twilio-compatible provider or the local sandbox), and the connect and read timeouts of one
 * request.
 */
public record TwilioClientSettings(
    TwilioCredentials credentials, URI apiBaseUrl, Duration connectTimeout, Duration readTimeout) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(15);

  public TwilioClientSettings {
    Objects.requireNonNull(credentials, "credentials");
    requirePositive(connectTimeout, "connect timeout");
    requirePositive(readTimeout, "read timeout");
    if (apiBaseUrl != null) {
      String scheme = apiBaseUrl.getScheme();
      if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
          || apiBaseUrl.getHost() == null) {
        throw new IllegalArgumentException(
            "twilio.api.base.url must be an absolute http(s) URL: " + apiBaseUrl);
      }
    }
  }

  /** Twilio's own API with the default timeouts. */
  public static TwilioClientSettings of(TwilioCredentials credentials) {
    return new TwilioClientSettings(
        credentials, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
  }

  /**
   * The provider among {@code settings}: the account sid with an API key when one is set, else with
   * the auth token, and the API base URL.
   *
   * @throws SettingsException when a credential is missing or the base URL is not an http(s) URL
   */
  public static TwilioClientSettings from(Settings settings) {
    String account = settings.string(TWILIO_ACCOUNT_SID);
    Optional<String> keySid = settings.optional(TWILIO_API_KEY_SID);
    TwilioCredentials credentials =
        keySid.isPresent()
            ? TwilioCredentials.apiKey(
                account, keySid.get(), settings.string(TWILIO_API_KEY_SECRET))
            : TwilioCredentials.authToken(account, settings.string(TWILIO_AUTH_TOKEN));
    return SettingsException.checked(
        () -> of(credentials).withApiBaseUrl(apiBaseUrl(settings).orElse(null)));
  }

  public TwilioClientSettings withApiBaseUrl(URI baseUrl) {
    return new TwilioClientSettings(credentials, baseUrl, connectTimeout, readTimeout);
  }

  public TwilioClientSettings withTimeouts(Duration connect, Duration read) {
    return new TwilioClientSettings(credentials, apiBaseUrl, connect, read);
  }

  /** Empty when requests go to Twilio itself. */
  public Optional<URI> baseUrl() {
    return Optional.ofNullable(apiBaseUrl);
  }

  private static Optional<URI> apiBaseUrl(Settings settings) {
    try {
      return settings.optional(TWILIO_API_BASE_URL).map(URI::create);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(TWILIO_API_BASE_URL.key() + ": " + e.getMessage(), e);
    }
  }

  private static void requirePositive(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + duration);
    }
  }
}
