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
 * Reads a Twilio webhook's form parameters, or answers the request itself: 404 for any other path
 * than the webhook's, 405 for anything but POST, 403 (and nothing recorded) for a missing signature
 * (before the body is read), 413 for an oversized body, 403 for a body that is not well-formed form
 * encoding (Twilio never sends one, so it cannot be signed) or a bad signature.
 */
public final class TwilioWebhookForm {

  private static final Logger LOG = LoggerFactory.getLogger(TwilioWebhookForm.class);

  private TwilioWebhookForm() {}

  /**
   * The signed form of the request, or empty when this has answered it already.
   *
   * @param path the webhook's exact path; the request's must be it
   * @param webhook the webhook's fixed name ({@code inbound}, {@code status}), its metric label
   */
  public static Optional<Map<String, String>> read(
      HttpExchange exchange, String path, String webhook, TwilioSignatureCheck signatures)
      throws IOException {
    if (!HttpExchanges.accepts(exchange, path, "POST")) {
      return Optional.empty();
    }
    if (TwilioSignatureCheck.signature(exchange) == null) {
      return forged(exchange, path, webhook, signatures, "no " + TwilioSignatureCheck.HEADER);
    }
    Map<String, String> form;
    try {
      form = HttpExchanges.parseForm(HttpExchanges.readBody(exchange));
    } catch (HttpExchanges.BodyTooLargeException e) {
      text(exchange, 413, "request body too large");
      return Optional.empty();
    } catch (HttpExchanges.MalformedFormException e) {
      return forged(exchange, path, webhook, signatures, "malformed form encoding");
    }
    if (!signatures.verifies(exchange, webhook, form)) {
      refused(exchange, path, "bad " + TwilioSignatureCheck.HEADER);
      return Optional.empty();
    }
    return Optional.of(form);
  }

  private static Optional<Map<String, String>> forged(
      HttpExchange exchange,
      String path,
      String webhook,
      TwilioSignatureCheck signatures,
      String why)
      throws IOException {
    signatures.forged(webhook);
    refused(exchange, path, why);
    return Optional.empty();
  }

  private static void refused(HttpExchange exchange, String path, String why) throws IOException {
    LOG.warn(
        "refused a webhook on {} from {}: {}",
        path,
        exchange.getRemoteAddress().getAddress().getHostAddress(),
        why);
    text(exchange, 403, "invalid signature");
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
