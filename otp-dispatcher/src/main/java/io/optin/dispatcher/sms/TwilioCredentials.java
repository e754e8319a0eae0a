package io.optin.dispatcher.sms;

import java.util.Objects;

/**
 * Who optin is to Twilio: the account, and the username/secret pair of HTTP basic auth (auth token,
 * or an API key).
 */
public final class TwilioCredentials {

  private final String accountSid;
  private final String username;
  private final String secret;

  private TwilioCredentials(String accountSid, String username, String secret) {
    this.accountSid = requireText(accountSid, "account sid");
    this.username = requireText(username, "username");
    this.secret = requireText(secret, "secret");
  }

  /** The account's own sid and auth token. */
  public static TwilioCredentials authToken(String accountSid, String authToken) {
    return new TwilioCredentials(accountSid, accountSid, authToken);
  }

  /** An API key (sid "SK…" and its secret) acting for the given account. */
  public static TwilioCredentials apiKey(String accountSid, String apiKeySid, String apiKeySecret) {
    return new TwilioCredentials(accountSid, apiKeySid, apiKeySecret);
  }

  public String accountSid() {
    return accountSid;
  }

  public String username() {
    return username;
  }

  public String secret() {
    return secret;
  }

  private static String requireText(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "TwilioCredentials[accountSid="
        + accountSid
        + ", username="
        + username
        + ", secret=***]";
  }
}
