package io.optin.devkit.demo;

import io.optin.devkit.sandbox.SandboxMessage;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.kit.threads.NamedThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The phones' side of the sandbox: completes when the first SMS sent through the Messages API
 * reaches a phone, so subscribers waiting for their code hold no thread. One daemon thread looks at
 * the waiting phones every {@value #LOOK_EVERY_MILLIS} ms; the arrival time is the sandbox's own,
 * so it does not depend on that period.
 */
final class SmsInbox implements AutoCloseable {

  private static final long LOOK_EVERY_MILLIS = 50;

  private record Waiter(CompletableFuture<SandboxMessage> sms, Instant deadline) {}

  private final TwilioSandbox sandbox;
  private final Clock clock;
  private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();
  private final ScheduledExecutorService looker =
      Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("optin-demo-sms-inbox"));

  SmsInbox(TwilioSandbox sandbox, Clock clock) {
    this.sandbox = sandbox;
    this.clock = clock;
    looker.scheduleWithFixedDelay(
        this::look, LOOK_EVERY_MILLIS, LOOK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * The first SMS optin sends to {@code phone}; fails with a {@link TimeoutException} after {@code
   * timeout}.
   */
  CompletableFuture<SandboxMessage> firstSmsTo(String phone, Duration timeout) {
    Waiter waiter = new Waiter(new CompletableFuture<>(), clock.instant().plus(timeout));
    if (waiting.putIfAbsent(phone, waiter) != null) {
      throw new IllegalStateException("already waiting for an SMS to this phone");
    }
    return waiter.sms();
  }

  private void look() {
    Instant now = clock.instant();
    waiting.forEach(
        (phone, waiter) -> {
          Optional<SandboxMessage> sms =
              sandbox.messagesTo(phone).stream()
                  .filter(m -> SandboxMessage.OUTBOUND_API.equals(m.direction()))
                  .findFirst();
          if (sms.isPresent()) {
            waiting.remove(phone);
            waiter.sms().complete(sms.get());
          } else if (now.isAfter(waiter.deadline())) {
            waiting.remove(phone);
            waiter.sms().completeExceptionally(new TimeoutException("no SMS"));
          }
        });
  }

  @Override
  public void close() {
    looker.shutdownNow();
    waiting.values().forEach(w -> w.sms().cancel(false));
  }
}
