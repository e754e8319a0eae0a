package io.optin.devkit.bench;

import io.optin.devkit.sandbox.SandboxMessage;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.devkit.sandbox.WebhookAnswer;
import io.optin.kit.threads.NamedThreads;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The flows' phones, at the sandbox: each SMS the provider accepts is counted against its phone,
 * and the first code SMS of a flow is answered YES {@code replyDelay} after it reached the
 * provider, by Twilio's signed inbound webhook to optin. Waiting holds no thread; the webhook calls
 * run on their own pool, since optin may hold each answer until the reply's outcome is known.
 */
final class Phones implements AutoCloseable {

  private static final Pattern CODE = Pattern.compile("(?<!\\d)\\d{4,10}(?!\\d)");

  private final TwilioSandbox sandbox;
  private final FlowBook book;
  private final Duration replyDelay;
  private final long nanosMinusEpochNanos;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("optin-bench-phone-timer"));
  private final ExecutorService webhooks;
  private final AtomicInteger replyFailures = new AtomicInteger();

  Phones(TwilioSandbox sandbox, FlowBook book, Duration replyDelay, int webhookThreads) {
    this.sandbox = sandbox;
    this.book = book;
    this.replyDelay = replyDelay;
    Instant now = Instant.now();
    this.nanosMinusEpochNanos = System.nanoTime() - epochNanos(now);
    this.webhooks =
        Executors.newFixedThreadPool(webhookThreads, NamedThreads.daemons("optin-bench-phone-"));
    sandbox.onReceived(this::received);
  }

  /** YES webhooks that could not be posted (optin unreachable, timed out). */
  int replyFailures() {
    return replyFailures.get();
  }

  /** On the sandbox's thread, right after it answered the sender. */
  private void received(SandboxMessage sms) {
    if (!SandboxMessage.OUTBOUND_API.equals(sms.direction())) {
      return;
    }
    // The sandbox stamps the accept on the wall clock; the flows are on the monotonic one.
    long atProvider = epochNanos(sms.dateCreated()) + nanosMinusEpochNanos;
    Flow flow = book.smsAtProvider(sms.to(), CODE.matcher(sms.body()).find(), atProvider);
    if (flow == null) {
      return;
    }
    // The phone sees the SMS once the provider has answered the sender (now, at the earliest).
    long now = System.nanoTime();
    long replyAt = Math.max(now, atProvider + replyDelay.toNanos());
    // The reply is timed from when the phone sends it, even if every webhook thread is busy then:
    // the bench's own queueing must not hide a slow optin.
    flow.replySent(replyAt);
    timer.schedule(
        () -> webhooks.execute(() -> answerYes(flow, sms)), replyAt - now, TimeUnit.NANOSECONDS);
  }

  private void answerYes(Flow flow, SandboxMessage sms) {
    try {
      WebhookAnswer answer = sandbox.reply(sms.to(), sms.from(), "YES");
      flow.replyAnswered(answer.status(), System.nanoTime());
      book.progress();
    } catch (RuntimeException e) {
      replyFailures.incrementAndGet();
      flow.replyFailed(Signups.rootCause(e).toString());
    }
  }

  private static long epochNanos(Instant at) {
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }

  @Override
  public void close() {
    sandbox.onReceived(message -> {});
    timer.shutdownNow();
    webhooks.shutdownNow();
  }
}
