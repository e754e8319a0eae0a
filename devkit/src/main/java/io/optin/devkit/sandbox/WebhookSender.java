package io.optin.devkit.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Posts Twilio-style webhooks: form-encoded, signed with {@code X-Twilio-Signature} over the exact
 * URL posted to.
 */
final class WebhookSender {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String authToken;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  WebhookSender(String authToken) {
    this.authToken = authToken;
  }

  WebhookAnswer post(URI url, Map<String, String> form) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", FormData.CONTENT_TYPE)
            .header("User-Agent", "TwilioProxy/1.1 (optin sandbox)")
            .header("I-Twilio-Idempotency-Token", UUID.randomUUID().toString())
            .header(TwilioSignature.HEADER, TwilioSignature.sign(authToken, url.toString(), form))
            .POST(HttpRequest.BodyPublishers.ofString(FormData.encode(form)))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new WebhookAnswer(response.statusCode(), response.body());
  }
}
