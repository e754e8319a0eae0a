package io.optin.devkit.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.optin.dispatcher.message.SmsSegments;
import io.optin.domain.otp.PhoneMask;
import io.optin.kit.http.HttpExchanges;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of Twilio's REST API that twilio-java uses to send an SMS and read it back: create a
 * message ({@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json}), list them ({@code GET
 * …/Messages.json}, see {@link MessageList}) and fetch one ({@code GET …/Messages/{Sid}.json}),
 * behind HTTP basic auth with the account sid and auth token.
 */
final class MessagesApi implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(MessagesApi.class);

  private static final Pattern MESSAGES =
      Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Messages\\.json$");
  private static final Pattern MESSAGE =
      Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Messages/([^/]+)\\.json$");
  private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{6,14}$");
  private static final Pattern ALPHANUMERIC_SENDER =
      Pattern.compile("^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$");
  private static final int MAX_BODY_CHARS = 1600;

  /** The number a Messaging Service "picks" in the sandbox: Twilio's valid test sender. */
  static final String MESSAGING_SERVICE_NUMBER = "+15005550006";

  private final String accountSid;
  private final byte[] expectedAuthorization;
  private final MessageLog messages;
  private final Delivery delivery;
  private final AnswerDelay answerDelay;
  private final Clock clock;

  /** What happens to an accepted message. */
  @FunctionalInterface
  interface Delivery {
    void accepted(SandboxMessage message);
  }

  MessagesApi(
      String accountSid,
      String authToken,
      MessageLog messages,
      Delivery delivery,
      AnswerDelay answerDelay,
      Clock clock) {
    this.accountSid = accountSid;
    this.expectedAuthorization =
        ("Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8)))
            .getBytes(StandardCharsets.UTF_8);
    this.messages = messages;
    this.delivery = delivery;
    this.answerDelay = answerDelay;
    this.clock = clock;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange
          .getResponseHeaders()
          .set("Twilio-Request-Id", "RQ" + SandboxMessage.newSid().substring(2));
      if (!authorized(exchange)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"Twilio API\"");
        Responses.error(exchange, TwilioError.authenticate());
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      Matcher list = MESSAGES.matcher(path);
      Matcher one = MESSAGE.matcher(path);
      if (list.matches() && accountSid.equals(list.group(1)) && method.equals("GET")) {
        list(exchange);
      } else if (list.matches() && accountSid.equals(list.group(1))) {
        if (!method.equals("POST")) {
          Responses.error(exchange, TwilioError.methodNotAllowed(method));
          return;
        }
        // Read only once the caller is known, and never more than the cap: the sandbox shares its
        // JVM with the broker and the services.
        Optional<Map<String, String>> form = readForm(exchange);
        if (form.isPresent()) {
          create(exchange, form.get());
        }
      } else if (one.matches() && accountSid.equals(one.group(1)) && method.equals("GET")) {
        Optional<SandboxMessage> found = messages.find(one.group(2));
        if (found.isPresent()) {
          Responses.json(exchange, 200, MessageJson.of(found.get()));
        } else {
          Responses.error(exchange, TwilioError.notFound(path));
        }
      } else {
        Responses.error(exchange, TwilioError.notFound(path));
      }
    }
  }

  private void list(HttpExchange exchange) throws IOException {
    String rawQuery = exchange.getRequestURI().getRawQuery();
    Map<String, String> query;
    try {
      query = rawQuery == null ? Map.of() : FormData.parse(rawQuery);
    } catch (IllegalArgumentException e) {
      Responses.error(exchange, TwilioError.malformedForm());
      return;
    }
    String to = query.get("To");
    List<SandboxMessage> candidates =
        to != null
            ? messages.conversation(to)
            : messages.conversationsNewestFirst().values().stream().flatMap(List::stream).toList();
    try {
      Responses.json(exchange, 200, MessageList.page(accountSid, candidates, query));
    } catch (IllegalArgumentException e) {
      Responses.error(exchange, new TwilioError(400, 20001, e.getMessage()));
    }
  }

  /**
   * The form of a create request; empty when it has been answered 413 (body above {@link
   * HttpExchanges#MAX_BODY_BYTES}) or 400 (malformed percent-encoding).
   */
  private static Optional<Map<String, String>> readForm(HttpExchange exchange) throws IOException {
    try {
      return Optional.of(
          FormData.parse(new String(HttpExchanges.readBody(exchange), StandardCharsets.UTF_8)));
    } catch (HttpExchanges.BodyTooLargeException e) {
      Responses.error(exchange, TwilioError.bodyTooLarge(HttpExchanges.MAX_BODY_BYTES));
    } catch (IllegalArgumentException e) {
      Responses.error(exchange, TwilioError.malformedForm());
    }
    return Optional.empty();
  }

  private boolean authorized(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null
        && MessageDigest.isEqual(expectedAuthorization, header.getBytes(StandardCharsets.UTF_8));
  }

  private void create(HttpExchange exchange, Map<String, String> form) throws IOException {
    Optional<TwilioError> rejection = validate(form);
    if (rejection.isPresent()) {
      log.info(
          "Sandbox rejected a message to {}: {}",
          PhoneMask.mask(form.get("To")),
          rejection.get().code());
      Responses.error(exchange, rejection.get());
      return;
    }
    String from = blankToNull(form.get("From"));
    String service = from == null ? blankToNull(form.get("MessagingServiceSid")) : null;
    String callback = blankToNull(form.get("StatusCallback"));
    Instant now = clock.instant();
    String body = form.get("Body");
    SandboxMessage message =
        new SandboxMessage(
            SandboxMessage.newSid(),
            accountSid,
            SandboxMessage.OUTBOUND_API,
            from != null ? from : MESSAGING_SERVICE_NUMBER,
            form.get("To"),
            service,
            body,
            service != null ? "accepted" : "queued",
            null,
            SmsSegments.of(body).count(),
            now,
            now,
            callback == null ? null : URI.create(callback));
    long acceptedAt = System.nanoTime();
    messages.add(message);
    log.info("Sandbox accepted {} to {}", message.sid(), PhoneMask.mask(message.to()));
    try {
      // Accepted is accepted: the message is delivered even if its answer never reaches the client.
      answerDelay.awaitAnswerTime(acceptedAt);
      Responses.json(exchange, 201, MessageJson.of(message));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      delivery.accepted(message);
    }
  }

  /** Checked in the order Twilio reports them. */
  static Optional<TwilioError> validate(Map<String, String> form) {
    String to = blankToNull(form.get("To"));
    String from = blankToNull(form.get("From"));
    String service = blankToNull(form.get("MessagingServiceSid"));
    String body = blankToNull(form.get("Body"));
    String callback = blankToNull(form.get("StatusCallback"));
    if (to == null) {
      return Optional.of(TwilioError.toRequired());
    }
    if (from == null && service == null) {
      return Optional.of(TwilioError.fromRequired());
    }
    if (body == null) {
      return Optional.of(TwilioError.bodyRequired());
    }
    if (from != null
        && !E164.matcher(from).matches()
        && !ALPHANUMERIC_SENDER.matcher(from).matches()) {
      return Optional.of(TwilioError.invalidFrom(from));
    }
    if (from == null && !(service.startsWith("MG") && service.length() == 34)) {
      return Optional.of(TwilioError.invalidMessagingService(service));
    }
    Optional<TwilioError> magic = MagicNumbers.rejectFrom(from).or(() -> MagicNumbers.rejectTo(to));
    if (magic.isPresent()) {
      return magic;
    }
    if (!E164.matcher(to).matches()) {
      return Optional.of(TwilioError.invalidTo(to));
    }
    if (body.length() > MAX_BODY_CHARS) {
      return Optional.of(TwilioError.bodyTooLong());
    }
    if (callback != null && !isHttpUrl(callback)) {
      return Optional.of(
          new TwilioError(400, 21609, "The StatusCallback URL " + callback + " is not valid."));
    }
    return Optional.empty();
  }

  private static boolean isHttpUrl(String text) {
    try {
      URI uri = new URI(text);
      return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
