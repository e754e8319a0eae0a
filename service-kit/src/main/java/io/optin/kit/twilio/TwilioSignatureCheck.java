package io.optin.kit.twilio;

import com.sun.net.httpserver.HttpExchange;
import com.twilio.security.RequestValidator;
import io.optin.kit.metrics.OptinMetrics;
import java.util.Map;
import java.util.Objects;

/**
 * Accepts a Twilio webhook only if its {@code X-Twilio-Signature} is Twilio's HMAC-SHA1, under our
 * auth token, of the URL Twilio called ({@code public.base.url} + path + query) and the sorted form
 * parameters.
 *
 * <p>The URL is rebuilt from {@code public.base.url}, never from the {@code Host} header, because
 * behind a proxy or tunnel the request this server sees is not the one Twilio signed.
 */
public final class TwilioSignatureCheck {

  public static final String HEADER = "X-Twilio-Signature";

  private final RequestValidator validator;
  private final String publicBaseUrl;
  private final OptinMetrics metrics;

  /**
   * @param authToken the account's auth token ({@code twilio.auth.token})
   * @param publicBaseUrl the base URL Twilio calls ({@code public.base.url}), e.g. {@code
   *     https://optin.example.com}
   */
  public TwilioSignatureCheck(String authToken, String publicBaseUrl) {
    this(authToken, publicBaseUrl, OptinMetrics.unexposed());
  }

  /**
   * As {@link #TwilioSignatureCheck(String, String)}, counting refused signatures per webhook on
   * {@code metrics}.
   */
  public TwilioSignatureCheck(String authToken, String publicBaseUrl, OptinMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    if (authToken == null || authToken.isBlank()) {
      throw new IllegalArgumentException(
          "twilio.auth.token is required to check Twilio webhook signatures");
    }
    if (publicBaseUrl == null || publicBaseUrl.isBlank()) {
      throw new IllegalArgumentException(
          "public.base.url is required to check Twilio webhook signatures");
    }
    this.validator = new RequestValidator(authToken);
    this.publicBaseUrl =
        publicBaseUrl.endsWith("/")
            ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
            : publicBaseUrl;
  }

  /**
   * Whether the request carries a valid signature for these form parameters; a refusal is counted
   * under {@code webhook}.
   *
   * @param webhook the webhook's fixed name ({@code inbound}, {@code status}), the metric label:
   *     never taken from the request, so that forged requests cannot grow the label set
   */
  public boolean verifies(HttpExchange exchange, String webhook, Map<String, String> form) {
    String signature = signature(exchange);
    boolean valid =
        signature != null
            && validator.validate(signedUrl(exchange), Objects.requireNonNull(form), signature);
    if (!valid) {
      forged(webhook);
    }
    return valid;
  }

  /** The request's non-blank signature header, or null. */
  public static String signature(HttpExchange exchange) {
    String signature = exchange.getRequestHeaders().getFirst(HEADER);
    return signature == null || signature.isBlank() ? null : signature;
  }

  /** Counts a webhook refused as forged before its signature could be checked. */
  public void forged(String webhook) {
    metrics.forgedWebhook(Objects.requireNonNull(webhook, "webhook"));
  }

  private String signedUrl(HttpExchange exchange) {
    String rawQuery = exchange.getRequestURI().getRawQuery();
    String path = exchange.getRequestURI().getRawPath();
    return publicBaseUrl + path + (rawQuery == null ? "" : "?" + rawQuery);
  }
}
