package io.optin.devkit.sandbox;

import io.optin.domain.otp.PhoneMask;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a placed call as Twilio would: it rings, the callee picks up and hears the TwiML, keys
 * pressed on a {@code <Gather>} are posted, signed, to its {@code action}, whose TwiML answer is
 * heard in turn; the call completes when no {@code <Gather>} listens any more or the callee hangs
 * up. Status changes asked for with {@code StatusCallbackEvent} are posted, signed, to the call's
 * {@code StatusCallback}.
 */
final class CallProgress {

  private static final Logger log = LoggerFactory.getLogger(CallProgress.class);

  static final Pattern KEYS = Pattern.compile("^[0-9*#]{1,20}$");

  /** What Twilio says when a webhook fails during a call, before it hangs up. */
  static final String APPLICATION_ERROR = "We are sorry, an application error has occurred.";

  private final CallLog calls;
  private final WebhookSender webhooks;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final Supplier<Duration> delay;
  private final Supplier<URI> relativeBase;
  private final Map<String, AtomicInteger> sequence =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param relativeBase what a relative {@code <Gather action>} is resolved against (optin's public
   *     base URL, known from its inbound webhook URL), or null when not known
   */
  CallProgress(
      CallLog calls,
      WebhookSender webhooks,
      ScheduledExecutorService executor,
      Clock clock,
      Supplier<Duration> delay,
      Supplier<URI> relativeBase) {
    this.calls = calls;
    this.webhooks = webhooks;
    this.executor = executor;
    this.clock = clock;
    this.delay = delay;
    this.relativeBase = relativeBase;
  }

  /** A call accepted by the API: reported initiated, then rings and is picked up, a delay apart. */
  void placed(SandboxCall call) {
    // Each step is scheduled once the previous one was reported: callbacks arrive in order.
    later(
        () -> {
          report(call, "initiated", "initiated");
          later(
              () -> {
                move(call.sid(), SandboxCall.RINGING, "ringing");
                later(
                    () -> {
                      Optional<SandboxCall> answered =
                          move(call.sid(), SandboxCall.IN_PROGRESS, "answered");
                      if (answered.isPresent() && answered.get().gather() == null) {
                        // Nothing listens for keys: the callee hears the message, the call ends.
                        later(() -> complete(call.sid()));
                      }
                    });
              });
        });
  }

  /**
   * The callee presses {@code digits} on call {@code sid}: posted to the listening {@code
   * <Gather>}'s action, whose answer is heard.
   *
   * @throws IllegalArgumentException when the keys are not keys (0-9, *, #)
   * @throws IllegalStateException when the call does not exist or does not listen for keys
   * @throws UncheckedIOException when the action cannot be reached (the call then ends)
   */
  WebhookAnswer press(String sid, String digits) {
    checkKeys(digits);
    SandboxCall call =
        calls
            .claim(sid)
            .orElseThrow(
                () -> new IllegalStateException("call " + sid + " is not listening for keys"));
    try {
      return pressOn(call, digits);
    } finally {
      calls.release(sid);
    }
  }

  /** {@link #press} on the oldest call to {@code phone} listening for keys, if there is one. */
  Optional<PressedCall> pressOnNextCall(String phone, String digits) {
    checkKeys(digits);
    Optional<SandboxCall> claimed = calls.claimOldestAwaiting(phone);
    if (claimed.isEmpty()) {
      return Optional.empty();
    }
    SandboxCall call = claimed.get();
    try {
      return Optional.of(new PressedCall(call.sid(), pressOn(call, digits)));
    } finally {
      calls.release(call.sid());
    }
  }

  /** A key press on the call {@code callSid} and what its action answered. */
  record PressedCall(String callSid, WebhookAnswer answer) {}

  /** The callee hangs up. */
  void hangUp(String sid) {
    complete(sid);
  }

  private static void checkKeys(String digits) {
    if (digits == null || !KEYS.matcher(digits).matches()) {
      throw new IllegalArgumentException("keys are 1 to 20 of 0-9, * and #");
    }
  }

  private WebhookAnswer pressOn(SandboxCall call, String typed) {
    VoiceTwiml.Gather gather = call.gather();
    String digits =
        gather.numDigits() > 0 && typed.length() > gather.numDigits()
            ? typed.substring(0, gather.numDigits())
            : typed;
    URI action = action(gather);
    Map<String, String> form = callForm(calls.find(call.sid()).orElse(call));
    form.put("Digits", digits);
    form.put("FinishedOnKey", "");
    form.put("msg", "Gather End");
    WebhookAnswer answer;
    try {
      answer = webhooks.post(action, form);
    } catch (IOException e) {
      heardThenHangUp(call.sid(), digits);
      throw new UncheckedIOException("voice webhook " + action + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      heardThenHangUp(call.sid(), digits);
      throw new UncheckedIOException(new InterruptedIOException("interrupted posting the keys"));
    }
    VoiceTwiml next;
    try {
      next = answer.successful() ? VoiceTwiml.parse(answer.body()) : null;
    } catch (IllegalArgumentException e) {
      next = null;
    }
    if (next == null) {
      log.warn(
          "Voice webhook {} answered HTTP {} for keys on a call to {}",
          action,
          answer.status(),
          PhoneMask.mask(call.to()));
      heardThenHangUp(call.sid(), digits);
      return answer;
    }
    VoiceTwiml heard = next;
    Optional<SandboxCall> after =
        calls.update(
            call.sid(),
            c -> c.pressed(digits, heard.said(), heard.gather().orElse(null), clock.instant()));
    if (after.isPresent() && after.get().gather() == null) {
      complete(call.sid());
    }
    return answer;
  }

  private URI action(VoiceTwiml.Gather gather) {
    if (gather.action() == null || gather.action().isBlank()) {
      throw new IllegalStateException(
          "the <Gather> has no action: the sandbox has nowhere to post keys");
    }
    URI action = URI.create(gather.action().strip());
    if (action.isAbsolute()) {
      return action;
    }
    URI base = relativeBase.get();
    if (base == null) {
      throw new IllegalStateException(
          "the <Gather> action " + action + " is relative and no inbound webhook URL is set");
    }
    return base.resolve(action);
  }

  private void heardThenHangUp(String sid, String digits) {
    calls.update(
        sid,
        c ->
            c.pressed(
                digits,
                List.of(new VoiceTwiml.Said(APPLICATION_ERROR, "en-US")),
                null,
                clock.instant()));
    complete(sid);
  }

  private void complete(String sid) {
    Optional<SandboxCall> before = calls.find(sid);
    if (before.isEmpty() || before.get().status().equals(SandboxCall.COMPLETED)) {
      return;
    }
    move(sid, SandboxCall.COMPLETED, "completed");
  }

  /** The call moved to {@code status} (never out of completed), reported for {@code event}. */
  private Optional<SandboxCall> move(String sid, String status, String event) {
    Instant now = clock.instant();
    boolean[] moved = {false};
    Optional<SandboxCall> after =
        calls.update(
            sid,
            c -> {
              if (c.status().equals(SandboxCall.COMPLETED)) {
                return c;
              }
              moved[0] = true;
              return c.withStatus(status, now);
            });
    if (after.isPresent() && moved[0]) {
      report(after.get(), event, status);
      return after;
    }
    return Optional.empty();
  }

  private void later(Runnable step) {
    if (!executor.isShutdown()) {
      executor.schedule(step, delay.get().toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void report(SandboxCall call, String event, String status) {
    if (call.statusCallback() == null || !call.callbackEvents().contains(event)) {
      return;
    }
    Map<String, String> form = callForm(call);
    form.put("CallStatus", status);
    form.put("CallbackSource", "call-progress-events");
    form.put(
        "SequenceNumber",
        String.valueOf(
            sequence.computeIfAbsent(call.sid(), s -> new AtomicInteger()).getAndIncrement()));
    form.put("Timestamp", MessageJson.rfc2822(call.dateUpdated()));
    if (status.equals(SandboxCall.COMPLETED)) {
      String seconds = String.valueOf(duration(call).toSeconds());
      form.put("CallDuration", seconds);
      form.put("Duration", seconds);
      sequence.remove(call.sid());
    }
    try {
      WebhookAnswer answer = webhooks.post(call.statusCallback(), form);
      if (!answer.successful()) {
        log.warn(
            "Call status callback {} for {} answered HTTP {}", status, call.sid(), answer.status());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn(
          "Call status callback {} for {} could not be posted to {}: {}",
          status,
          call.sid(),
          call.statusCallback(),
          e.toString());
    }
  }

  static Duration duration(SandboxCall call) {
    return call.answeredAt() == null
        ? Duration.ZERO
        : Duration.between(call.answeredAt(), call.dateUpdated());
  }

  /** The fields Twilio posts about a call to its webhooks. */
  private static Map<String, String> callForm(SandboxCall call) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("AccountSid", call.accountSid());
    form.put("ApiVersion", "2010-04-01");
    form.put("CallSid", call.sid());
    form.put("CallStatus", call.status());
    form.put("Called", call.to());
    form.put("Caller", call.from());
    form.put("Direction", "outbound-api");
    form.put("From", call.from());
    form.put("To", call.to());
    return form;
  }
}
