package io.optin.devkit.sandbox;

/**
 * What a webhook endpoint answered the sandbox: HTTP status and body (TwiML for inbound messages).
 */
public record WebhookAnswer(int status, String body) {

  public boolean successful() {
    return status >= 200 && status < 300;
  }
}
