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
 * their HTTP status. {@code optin bench} signs its flows up through it too.
 */
public final class GatewayClient {

  public static final String CONSENT_TEXT =
      "Yes, text me optin demo alerts. Msg & data rates may apply. " + "Reply STOP to opt out.";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI gateway;
  private final String bearerToken;
  private final HttpClient http;

  GatewayClient(URI gateway) {
    this(gateway, null);
  }

  /**
   * @param bearerToken one of optin's {@code api.tokens}, or null when it asks none (the embedded
   *     default)
   */
  public GatewayClient(URI gateway, String bearerToken) {
    this.gateway = gateway;
    this.bearerToken = bearerToken;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** Signs the subscriber up as a web form would; the HTTP status of the answer. */
  int signUp(DemoSubscriber subscriber) {
    // The evidence a lead-generation form would capture: a TrustedForm certificate and a LeadiD.
    ObjectNode evidence =
        JSON.createObjectNode()
            .put(
                "trustedFormCertUrl",
                String.format("https://cert.trustedform.com/demo%036x", subscriber.number()))
            .put(
                "jornayaLeadId",
                String.format("0DE0D0E0-0000-4000-8000-%012X", subscriber.number()));
    evidence.putObject("extra").put("demoSubscriber", Integer.toString(subscriber.number()));
    return signUp(
            subscriber.phone(),
            subscriber.programId(),
            subscriber.ip(),
            "optin-demo/1 (synthetic subscriber " + subscriber.number() + ")",
            evidence)
        .status();
  }

  /**
   * {@code POST /v1/signups} as a web form would send it; the answer's status and body (a 202's
   * body holds the {@code signupId}).
   */
  public Answer signUp(String phone, String programId, String ip, String userAgent) {
    return signUp(phone, programId, ip, userAgent, null);
  }

  private Answer signUp(
      String phone, String programId, String ip, String userAgent, ObjectNode evidence) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("phone", phone)
            .put("programId", programId)
            .put("consentText", CONSENT_TEXT)
            .put("consentTextVersion", "demo-1")
            .put("locale", "en-US");
    body.putObject("source")
        .put("channel", "web_form")
        .put("url", "https://demo.optin.example/signup")
        .put("ip", ip)
        .put("userAgent", userAgent);
    if (evidence != null) {
      body.set("evidence", evidence);
    }
    return send("/v1/signups", body, HttpResponse.BodyHandlers.ofString());
  }

  /** An HTTP answer of optin. */
  public record Answer(int status, String body) {}

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
    return send(path, body, HttpResponse.BodyHandlers.discarding()).status();
  }

  private <T> Answer send(String path, ObjectNode body, HttpResponse.BodyHandler<T> handler) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(gateway.resolve(path))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (bearerToken != null) {
      request.header("Authorization", "Bearer " + bearerToken);
    }
    try {
      HttpResponse<T> response = http.send(request.build(), handler);
      T answered = response.body();
      return new Answer(response.statusCode(), answered instanceof String text ? text : null);
    } catch (IOException e) {
      throw new UncheckedIOException("POST " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted during POST " + path, e));
    }
  }
}
