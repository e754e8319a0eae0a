package io.optin.devkit.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What a marketing platform and a web site say to optin's HTTP port during the demo: {@code POST
 * /v1/signups} and {@code POST /v1/verifications} (docs/signups.md, docs/replies.md), answered with
 * their HTTP status.
 */
final class GatewayClient {

  static final String CONSENT_TEXT =
      "Yes, text me optin demo alerts. Msg & data rates may apply. " + "Reply STOP to opt out.";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI gateway;
  private final HttpClient http;

  GatewayClient(URI gateway) {
    this.gateway = gateway;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** Signs the subscriber up as a web form would; the HTTP status of the answer. */
  int signUp(DemoSubscriber subscriber) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("phone", subscriber.phone())
            .put("programId", subscriber.programId())
            .put("consentText", CONSENT_TEXT)
            .put("consentTextVersion", "demo-1")
            .put("locale", "en-US");
    body.putObject("source")
        .put("channel", "web_form")
        .put("url", "https://demo.optin.example/signup")
        .put("ip", subscriber.ip())
        .put("userAgent", "optin-demo/1 (synthetic subscriber " + subscriber.number() + ")");
    return post("/v1/signups", body);
  }

  /** Types the code on the site; the HTTP status of the answer (200 confirmed, 410 expired…). */
  int enterCode(DemoSubscriber subscriber, String code) {
    return post(
        "/v1/verifications",
        JSON.createObjectNode()
            .put("phone", subscriber.phone())
            .put("programId", subscriber.programId())
            .put("code", code));
  }

  private int post(String path, ObjectNode body) {
    HttpRequest request =
        HttpRequest.newBuilder(gateway.resolve(path))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException("POST " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted during POST " + path, e));
    }
  }
}
