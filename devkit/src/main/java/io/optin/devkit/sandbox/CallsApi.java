package io.optin.devkit.sandbox;

import com.sun.net.httpserver.HttpExchange;
import io.optin.domain.otp.PhoneMask;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of Twilio's Calls API that twilio-java uses to place a call with inline TwiML ({@code
 * Call.creator(to, from, new Twiml(xml))}): create ({@code POST
 * /2010-04-01/Accounts/{AccountSid}/Calls.json}) and fetch ({@code GET …/Calls/{Sid}.json}).
 * Authenticated by {@link MessagesApi}, which routes here.
 */
final class CallsApi {

  private static final Logger log = LoggerFactory.getLogger(CallsApi.class);

  static final Pattern CALLS = Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Calls\\.json$");
  static final Pattern CALL =
      Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Calls/([^/]+)\\.json$");
  private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{6,14}$");
  private static final Set<String> EVENTS = Set.of("initiated", "ringing", "answered", "completed");

  private final String accountSid;
  private final CallLog calls;
  private final CallProgress progress;
  private final Clock clock;

  CallsApi(String accountSid, CallLog calls, CallProgress progress, Clock clock) {
    this.accountSid = accountSid;
    this.calls = calls;
    this.progress = progress;
    this.clock = clock;
  }

  /** Whether the path is one of this API's. */
  static boolean serves(String path) {
    return CALLS.matcher(path).matches() || CALL.matcher(path).matches();
  }

  void handle(HttpExchange exchange, String path, String method) throws IOException {
    Matcher list = CALLS.matcher(path);
    Matcher one = CALL.matcher(path);
    if (list.matches() && accountSid.equals(list.group(1))) {
      if (!method.equals("POST")) {
        Responses.error(exchange, TwilioError.methodNotAllowed(method));
        return;
      }
      Optional<Map<String, List<String>>> form = MessagesApi.readFormAll(exchange);
      if (form.isPresent()) {
        create(exchange, form.get());
      }
    } else if (one.matches() && accountSid.equals(one.group(1)) && method.equals("GET")) {
      Optional<SandboxCall> found = calls.find(one.group(2));
      if (found.isPresent()) {
        Responses.json(exchange, 200, CallJson.of(found.get()));
      } else {
        Responses.error(exchange, TwilioError.notFound(path));
      }
    } else {
      Responses.error(exchange, TwilioError.notFound(path));
    }
  }

  private void create(HttpExchange exchange, Map<String, List<String>> form) throws IOException {
    Optional<TwilioError> rejection = validate(form);
    if (rejection.isPresent()) {
      log.info(
          "Sandbox rejected a call to {}: {}",
          PhoneMask.mask(first(form, "To")),
          rejection.get().code());
      Responses.error(exchange, rejection.get());
      return;
    }
    VoiceTwiml twiml = VoiceTwiml.parse(first(form, "Twiml"));
    String callback = first(form, "StatusCallback");
    Set<String> events = new LinkedHashSet<>();
    for (String value : form.getOrDefault("StatusCallbackEvent", List.of())) {
      // twilio-java repeats the parameter; a hand-written request may join the events with spaces.
      for (String event : value.trim().split("[\\s,]+")) {
        if (EVENTS.contains(event.toLowerCase(Locale.ROOT))) {
          events.add(event.toLowerCase(Locale.ROOT));
        }
      }
    }
    if (events.isEmpty()) {
      events.add("completed");
    }
    Instant now = clock.instant();
    SandboxCall call =
        new SandboxCall(
            SandboxCall.newSid(),
            accountSid,
            first(form, "From"),
            first(form, "To"),
            SandboxCall.QUEUED,
            twiml.said(),
            twiml.gather().orElse(null),
            "",
            callback == null ? null : URI.create(callback),
            events,
            now,
            now,
            null);
    calls.add(call);
    log.info("Sandbox placed call {} to {}", call.sid(), PhoneMask.mask(call.to()));
    Responses.json(exchange, 201, CallJson.of(call));
    progress.placed(call);
  }

  /** Checked in the order Twilio reports them. */
  static Optional<TwilioError> validate(Map<String, List<String>> form) {
    String to = first(form, "To");
    String from = first(form, "From");
    String twiml = first(form, "Twiml");
    String callback = first(form, "StatusCallback");
    if (to == null) {
      return Optional.of(new TwilioError(400, 21201, "No 'To' number is specified"));
    }
    if (from == null) {
      return Optional.of(new TwilioError(400, 21213, "No 'From' number is specified"));
    }
    if (twiml == null) {
      return Optional.of(
          first(form, "Url") != null || first(form, "ApplicationSid") != null
              ? new TwilioError(
                  400,
                  21205,
                  "The sandbox plays inline Twiml only: Url and ApplicationSid are not supported.")
              : new TwilioError(400, 21205, "Url parameter is required."));
    }
    if (!E164.matcher(from).matches()) {
      return Optional.of(TwilioError.invalidFrom(from));
    }
    Optional<TwilioError> magic =
        MagicNumbers.rejectCallFrom(from).or(() -> MagicNumbers.rejectCallTo(to));
    if (magic.isPresent()) {
      return magic;
    }
    if (!E164.matcher(to).matches()) {
      return Optional.of(TwilioError.invalidTo(to));
    }
    if (twiml.length() > VoiceTwiml.MAX_CHARS) {
      return Optional.of(
          new TwilioError(
              400, 400, "Twiml is longer than " + VoiceTwiml.MAX_CHARS + " characters."));
    }
    try {
      VoiceTwiml.parse(twiml);
    } catch (IllegalArgumentException e) {
      return Optional.of(new TwilioError(400, 12100, "Document parse failure: " + e.getMessage()));
    }
    if (callback != null && !MessagesApi.isHttpUrl(callback)) {
      return Optional.of(
          new TwilioError(400, 21609, "The StatusCallback URL " + callback + " is not valid."));
    }
    return Optional.empty();
  }

  private static String first(Map<String, List<String>> form, String name) {
    List<String> values = form.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    String value = values.get(0);
    return value == null || value.isBlank() ? null : value;
  }
}
