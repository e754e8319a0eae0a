package io.optin.devkit.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The part of Twilio's REST API that twilio-java uses to send an SMS or a WhatsApp message and read
 * it back: create a message ({@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json}), list
 * them ({@code GET …/Messages.json}, see {@link MessageList}) and fetch one ({@code GET
 * …/Messages/{Sid}.json}), behind HTTP basic auth with the account sid and auth token; calls
 * ({@code …/Calls.json}) are routed to {@link CallsApi} behind the same auth.
 *
 * <p>A WhatsApp message has {@code whatsapp:+E164} as both To and From, and a content template
 * ({@code ContentSid} HX…, {@code ContentVariables} a JSON object) instead of a Body: the sandbox
 * shows it as "content HX… with variables {…}".
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
  private static final String WHATSAPP = "whatsapp:";
  private static final Pattern CONTENT_SID = Pattern.compile("^HX[0-9a-fA-F]{32}$");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The number a Messaging Service "picks" in the sandbox: Twilio's valid test sender. */
  static final String MESSAGING_SERVICE_NUMBER = "+15005550006";

  private final String accountSid;
  private final byte[] expectedAuthorization;
  private final MessageLog messages;
  private final Delivery delivery;
  private final AnswerDelay answerDelay;
  private final Clock clock;
  private final CallsApi calls;

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
      Clock clock,
      CallsApi calls) {
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
    this.calls = calls;
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
      if (CallsApi.serves(path)) {
        calls.handle(exchange, path, method);
      } else if (list.matches() && accountSid.equals(list.group(1)) && method.equals("GET")) {
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

  /** As {@link #readForm}, every value of a repeated name kept. */
  static Optional<Map<String, List<String>>> readFormAll(HttpExchange exchange) throws IOException {
    try {
      return Optional.of(
          FormData.parseAll(new String(HttpExchanges.readBody(exchange), StandardCharsets.UTF_8)));
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
    String contentSid = blankToNull(form.get("ContentSid"));
    String body =
        contentSid != null
            ? "content " + contentSid + " with variables " + contentVariables(form)
            : form.get("Body");
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
            contentSid != null ? 1 : SmsSegments.of(body).count(),
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
    String contentSid = blankToNull(form.get("ContentSid"));
    String callback = blankToNull(form.get("StatusCallback"));
    if (to == null) {
      return Optional.of(TwilioError.toRequired());
    }
    if (from == null && service == null) {
      return Optional.of(TwilioError.fromRequired());
    }
    if (body == null && contentSid == null) {
      return Optional.of(TwilioError.bodyRequired());
    }
    boolean whatsapp = to.startsWith(WHATSAPP);
    if (from != null && whatsapp != from.startsWith(WHATSAPP)) {
      return Optional.of(
          new TwilioError(
              400, 21910, "Invalid From and To pair. From and To should be of the same channel"));
    }
    if (whatsapp) {
      // WhatsApp numbers are E.164 behind the prefix; the magic numbers keep their meaning.
      to = to.substring(WHATSAPP.length());
      from = from == null ? null : from.substring(WHATSAPP.length());
      if (from != null && !E164.matcher(from).matches()) {
        return Optional.of(TwilioError.invalidFrom(form.get("From")));
      }
    }
    if (contentSid != null && !CONTENT_SID.matcher(contentSid).matches()) {
      return Optional.of(new TwilioError(400, 21655, "The ContentSid is Invalid."));
    }
    if (contentSid != null && !validVariables(form.get("ContentVariables"))) {
      return Optional.of(new TwilioError(400, 21656, "The ContentVariables Parameter is invalid."));
    }
    if (from != null
        && !E164.matcher(from).matches()
        && !ALPHANUMERIC_SENDER.matcher(from).matches()) {
      return Optional.of(TwilioError.invalidFrom(from));
    }
    if (from == null && !(service.startsWith("MG") && service.length() == 34)) {
      return Optional.of(TwilioError.invalidMessagingService(service));
    }
    String number = to;
    Optional<TwilioError> magic =
        MagicNumbers.rejectFrom(from).or(() -> MagicNumbers.rejectTo(number));
    if (magic.isPresent()) {
      return magic;
    }
    if (!E164.matcher(to).matches()) {
      return Optional.of(TwilioError.invalidTo(to));
    }
    if (body != null && contentSid == null && body.length() > MAX_BODY_CHARS) {
      return Optional.of(TwilioError.bodyTooLong());
    }
    if (callback != null && !isHttpUrl(callback)) {
      return Optional.of(
          new TwilioError(400, 21609, "The StatusCallback URL " + callback + " is not valid."));
    }
    return Optional.empty();
  }

  /** A JSON object of string, number or boolean values, or nothing. */
  private static boolean validVariables(String variables) {
    if (variables == null || variables.isBlank()) {
      return true;
    }
    try {
      JsonNode node = JSON.readTree(variables);
      if (node == null || !node.isObject()) {
        return false;
      }
      for (JsonNode value : (Iterable<JsonNode>) node::elements) {
        if (!value.isValueNode() || value.isNull()) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The variables as sent, compacted; {@code {}} when none were. */
  private static String contentVariables(Map<String, String> form) {
    String variables = blankToNull(form.get("ContentVariables"));
    if (variables == null) {
      return "{}";
    }
    try {
      return JSON.writeValueAsString(JSON.readTree(variables));
    } catch (IOException e) {
      return variables;
    }
  }

  static boolean isHttpUrl(String text) {
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
