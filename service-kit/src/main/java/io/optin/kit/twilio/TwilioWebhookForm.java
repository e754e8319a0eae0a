package io.optin.kit.twilio;

import com.sun.net.httpserver.HttpExchange;
import io.optin.kit.http.HttpExchanges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a Twilio webhook's form parameters, or answers the request itself: 405 for anything but
 * POST, 413 for an oversized body, 403 (and nothing recorded) for a bad or missing signature.
 */
public final class TwilioWebhookForm {

  private static final Logger LOG = LoggerFactory.getLogger(TwilioWebhookForm.class);

  private TwilioWebhookForm() {}

  /** The signed form of the request, or empty when this has answered it already. */
  public static Optional<Map<String, String>> read(
      HttpExchange exchange, TwilioSignatureCheck signatures) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "POST");
      text(exchange, 405, "POST only");
      return Optional.empty();
    }
    Map<String, String> form;
    try {
      form = HttpExchanges.parseForm(HttpExchanges.readBody(exchange));
    } catch (HttpExchanges.BodyTooLargeException e) {
      text(exchange, 413, "request body too large");
      return Optional.empty();
    }
    if (!signatures.verifies(exchange, form)) {
      LOG.warn(
          "refused a webhook on {} from {}: bad or missing {}",
          exchange.getRequestURI().getPath(),
          exchange.getRemoteAddress().getAddress().getHostAddress(),
          TwilioSignatureCheck.HEADER);
      text(exchange, 403, "invalid signature");
      return Optional.empty();
    }
    return Optional.of(form);
  }

  /**
   * The first present, non-blank parameter of the names given (Twilio's older names are the
   * fallbacks).
   */
  public static Optional<String> param(Map<String, String> form, String... names) {
    for (String name : names) {
      String value = form.get(name);
      if (value != null && !value.isBlank()) {
        return Optional.of(value.trim());
      }
    }
    return Optional.empty();
  }

  /** Answers with a plain-text message. */
  public static void text(HttpExchange exchange, int status, String message) throws IOException {
    HttpExchanges.send(
        exchange, status, "text/plain; charset=utf-8", message.getBytes(StandardCharsets.UTF_8));
  }
}
