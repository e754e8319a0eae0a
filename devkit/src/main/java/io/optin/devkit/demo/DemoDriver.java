package io.optin.devkit.demo;

import io.optin.devkit.demo.DrivenSubscriber.Answer;
import io.optin.devkit.sandbox.SandboxCall;
import io.optin.devkit.sandbox.SandboxMessage;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.devkit.sandbox.WebhookAnswer;
import io.optin.kit.threads.NamedThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays every subscriber of a plan against the running stack, all at once: signs it up over HTTP,
 * waits for its SMS at the sandbox, then answers as its path says (YES, the code by SMS or on the
 * site, STOP, nothing, or YES after the window); a landline subscriber instead waits for the
 * fallback call and presses 1 on it, one whose SMS is filtered answers YES on WhatsApp. At most
 * {@code concurrency} HTTP calls are in flight; waiting (for an SMS, for the window to pass) holds
 * no thread.
 */
final class DemoDriver implements AutoCloseable {

  /**
   * A late answer is sent this long after the window closed, so it is late whatever the clocks'
   * rounding.
   */
  static final Duration LATE_BY = Duration.ofSeconds(1);

  /**
   * After the opt-out is on the status topic, the signup front door (following that topic too) gets
   * this long.
   */
  static final Duration OPT_OUT_SETTLE = Duration.ofSeconds(1);

  /** How often a landline subscriber looks for a call to press 1 on. */
  static final Duration CALL_LOOK_EVERY = Duration.ofMillis(200);

  private static final String WHATSAPP = "whatsapp:";

  private static final Pattern CODE = Pattern.compile("(?<!\\d)(\\d{4,10})(?!\\d)");

  private final GatewayClient gateway;
  private final TwilioSandbox sandbox;
  private final SmsInbox inbox;
  private final OutcomeObserver observer;
  private final Duration window;
  private final LatencyRecorder signupToSms;
  private final Clock clock;
  private final ExecutorService calls;
  private final AtomicInteger answersSent = new AtomicInteger();

  DemoDriver(
      GatewayClient gateway,
      TwilioSandbox sandbox,
      SmsInbox inbox,
      OutcomeObserver observer,
      Duration window,
      int concurrency,
      LatencyRecorder signupToSms,
      Clock clock) {
    this.gateway = gateway;
    this.sandbox = sandbox;
    this.inbox = inbox;
    this.observer = observer;
    this.window = window;
    this.signupToSms = signupToSms;
    this.clock = clock;
    this.calls =
        Executors.newFixedThreadPool(concurrency, NamedThreads.daemons("optin-demo-driver-"));
  }

  /** Starts every subscriber's script; the future completes when all have finished. */
  CompletableFuture<Void> drive(List<DrivenSubscriber> subscribers) {
    return CompletableFuture.allOf(
        subscribers.stream().map(this::drive).toArray(CompletableFuture[]::new));
  }

  /** Answers sent so far (replies and codes typed), for the progress line. */
  int answersSent() {
    return answersSent.get();
  }

  private CompletableFuture<Void> drive(DrivenSubscriber driven) {
    DemoSubscriber subscriber = driven.subscriber();
    return CompletableFuture.runAsync(
            () -> driven.signedUp(gateway.signUp(subscriber), clock.instant()), calls)
        .thenCompose(signedUp -> afterSignup(driven))
        .handle(
            (done, failure) -> {
              if (failure != null) {
                driven.failed(describe(failure));
              }
              driven.finish();
              return null;
            });
  }

  private CompletableFuture<Void> afterSignup(DrivenSubscriber driven) {
    DemoPath path = driven.subscriber().path();
    if (driven.signupStatus() != 202) {
      if (path != DemoPath.REFUSED_AT_SIGNUP) {
        driven.failed("signup answered " + driven.signupStatus());
      }
      return CompletableFuture.completedFuture(null);
    }
    if (path == DemoPath.LANDLINE) {
      CompletableFuture<Void> pressed = new CompletableFuture<>();
      pressOnCall(driven, driven.signupAcceptedAt().plus(window), pressed);
      return pressed;
    }
    if (path == DemoPath.WHATSAPP) {
      String address = WHATSAPP + driven.subscriber().phone();
      return inbox
          .firstSmsTo(address, window)
          .thenCompose(message -> onCalls(() -> reply(driven, address, message.from(), "YES")));
    }
    if (!path.receivesCode()) {
      return CompletableFuture.completedFuture(null);
    }
    return inbox
        .firstSmsTo(driven.subscriber().phone(), window)
        .thenCompose(
            sms -> {
              driven.smsArrived(sms.dateCreated());
              signupToSms.record(Duration.between(driven.signupAcceptedAt(), sms.dateCreated()));
              return answer(driven, sms);
            });
  }

  private CompletableFuture<Void> answer(DrivenSubscriber driven, SandboxMessage sms) {
    DemoSubscriber subscriber = driven.subscriber();
    return switch (subscriber.path()) {
      case REPLY_YES -> onCalls(() -> reply(driven, sms.from(), "YES"));
      case REPLY_CODE -> onCalls(() -> reply(driven, sms.from(), codeIn(sms)));
      case ENTER_CODE ->
          onCalls(
              () -> {
                String code = codeIn(sms);
                markAnswered(driven);
                driven.codeEntered(gateway.enterCode(subscriber, code));
              });
      case STOP ->
          onCalls(() -> reply(driven, sms.from(), "STOP"))
              .thenCompose(
                  stopped ->
                      observer
                          .optedOut(subscriber.phone())
                          .orTimeout(window.toMillis(), TimeUnit.MILLISECONDS))
              .thenRunAsync(
                  () -> driven.signedUpAgain(gateway.signUp(subscriber)),
                  CompletableFuture.delayedExecutor(
                      OPT_OUT_SETTLE.toMillis(), TimeUnit.MILLISECONDS, calls));
      case LATE_ANSWER -> {
        Instant late = driven.signupAcceptedAt().plus(window).plus(LATE_BY);
        long delay = Math.max(0, Duration.between(clock.instant(), late).toMillis());
        yield CompletableFuture.runAsync(
            () -> reply(driven, sms.from(), "YES"),
            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, calls));
      }
      case NO_ANSWER -> CompletableFuture.completedFuture(null);
      case REFUSED_AT_SIGNUP, REFUSED_BY_CARRIER, LANDLINE, WHATSAPP ->
          throw new IllegalStateException("no code for " + subscriber);
    };
  }

  /**
   * Presses 1 on a call to the subscriber's landline that listens for keys, looking again every
   * {@link #CALL_LOOK_EVERY} until {@code deadline}.
   */
  private void pressOnCall(
      DrivenSubscriber driven, Instant deadline, CompletableFuture<Void> pressed) {
    String phone = driven.subscriber().phone();
    CompletableFuture.runAsync(
            () -> {
              if (sandbox.callsTo(phone).stream().noneMatch(SandboxCall::awaitingKeys)) {
                return;
              }
              Instant at = clock.instant();
              // Timed from before the press: the confirmation may be read before it returns.
              observer.answerSent(driven.subscriber().key(), at);
              sandbox
                  .pressOnNextCall(phone, "1")
                  .ifPresent(
                      call -> {
                        markAnswered(driven, at);
                        driven.replyAnswered(classify(call.answer()));
                        pressed.complete(null);
                      });
            },
            calls)
        .whenComplete(
            (looked, failure) -> {
              if (failure != null) {
                pressed.completeExceptionally(failure);
              } else if (!pressed.isDone()) {
                if (clock.instant().isAfter(deadline)) {
                  pressed.completeExceptionally(new TimeoutException("no call to press 1 on"));
                } else {
                  CompletableFuture.delayedExecutor(
                          CALL_LOOK_EVERY.toMillis(), TimeUnit.MILLISECONDS, calls)
                      .execute(() -> pressOnCall(driven, deadline, pressed));
                }
              }
            });
  }

  private void reply(DrivenSubscriber driven, String optinNumber, String body) {
    reply(driven, driven.subscriber().phone(), optinNumber, body);
  }

  /** Answers from {@code from}: the phone, or its {@code whatsapp:} address. */
  private void reply(DrivenSubscriber driven, String from, String optinNumber, String body) {
    markAnswered(driven);
    WebhookAnswer answer = sandbox.reply(from, optinNumber, body);
    driven.replyAnswered(classify(answer));
  }

  private void markAnswered(DrivenSubscriber driven) {
    markAnswered(driven, clock.instant());
  }

  private void markAnswered(DrivenSubscriber driven, Instant at) {
    driven.answered(at);
    observer.answerSent(driven.subscriber().key(), at);
    answersSent.incrementAndGet();
  }

  private CompletableFuture<Void> onCalls(Runnable call) {
    return CompletableFuture.runAsync(call, calls);
  }

  /** The code as the subscriber reads it in the SMS: the first run of 4 to 10 digits. */
  static String codeIn(SandboxMessage sms) {
    Matcher code = CODE.matcher(sms.body());
    if (!code.find()) {
      throw new IllegalStateException("no code in the SMS");
    }
    return code.group(1);
  }

  static Answer classify(WebhookAnswer answer) {
    if (!answer.successful()) {
      return Answer.FAILED;
    }
    String text = answer.body().toLowerCase(Locale.ROOT);
    if (text.contains("expired")) {
      return Answer.EXPIRED;
    }
    if (text.contains("confirmed")) {
      return Answer.CONFIRMED;
    }
    return text.contains("unsubscribed") ? Answer.OPTED_OUT : Answer.OTHER;
  }

  private String describe(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof TimeoutException) {
      String what =
          cause.getMessage() != null ? cause.getMessage() : "no opt-out on the status topic";
      return what + " within the " + window.toSeconds() + " s window";
    }
    return String.valueOf(cause.getMessage());
  }

  @Override
  public void close() {
    calls.shutdownNow();
  }
}
