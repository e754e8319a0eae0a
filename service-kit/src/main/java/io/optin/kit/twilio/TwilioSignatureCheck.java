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

  /** Whether the request carries a valid signature for these form parameters. */
  public boolean verifies(HttpExchange exchange, Map<String, String> form) {
    String signature = exchange.getRequestHeaders().getFirst(HEADER);
    boolean valid =
        signature != null
            && !signature.isBlank()
            && validator.validate(signedUrl(exchange), Objects.requireNonNull(form), signature);
    if (!valid) {
      String path = exchange.getRequestURI().getPath();
      metrics.forgedWebhook(path.substring(path.lastIndexOf('/') + 1));
    }
    return valid;
  }

  private String signedUrl(HttpExchange exchange) {
    String rawQuery = exchange.getRequestURI().getRawQuery();
    String path = exchange.getRequestURI().getRawPath();
    return publicBaseUrl + path + (rawQuery == null ? "" : "?" + rawQuery);
  }
}
