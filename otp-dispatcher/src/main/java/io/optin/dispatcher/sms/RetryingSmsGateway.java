package io.optin.dispatcher.sms;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries transient send failures with exponential backoff and jitter; an acceptance or a permanent
 * failure ends the attempts at once.
 */
public final class RetryingSmsGateway implements SmsGateway {

  private static final Logger log = LoggerFactory.getLogger(RetryingSmsGateway.class);

  private final SmsGateway delegate;
  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final DoubleSupplier random;

  public RetryingSmsGateway(SmsGateway delegate, RetryPolicy policy) {
    this(delegate, policy, Sleeper.REAL, () -> ThreadLocalRandom.current().nextDouble());
  }

  public RetryingSmsGateway(
      SmsGateway delegate, RetryPolicy policy, Sleeper sleeper, DoubleSupplier random) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public SendResult send(OutgoingSms sms) {
    return sendWithRetries(sms).result();
  }

  /**
   * Looks up, asking again after a transient failure as the policy allows (the same backoff as
   * sends); a failure that outlives the attempts is returned, never turned into "not found".
   */
  @Override
  public LookupResult findSent(SentMessageQuery query) {
    int attempts = 0;
    while (true) {
      LookupResult result = delegate.findSent(query);
      attempts++;
      if (!(result instanceof LookupResult.Failed failed)
          || !(failed.failure() instanceof SendResult.TransientFailure)
          || !policy.allowsAnotherAttempt(attempts)) {
        return result;
      }
      Duration delay = policy.delayBeforeRetry(attempts, random);
      log.info(
          "Lookup {} for {} failed ({}); asking again in {} ms",
          attempts,
          query,
          failed.failure().summary(),
          delay.toMillis());
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return result;
      }
    }
  }

  /** Sends, retrying transient failures as the policy allows; says how many attempts were made. */
  public SendOutcome sendWithRetries(OutgoingSms sms) {
    return withRetries(sms, () -> delegate.send(sms));
  }

  /** Places a call, retrying transient failures as SMS are retried. */
  public SendOutcome callWithRetries(OutgoingCall call) {
    return withRetries(call, () -> delegate.call(call));
  }

  /** Sends a WhatsApp message, retrying transient failures as SMS are retried. */
  public SendOutcome whatsAppWithRetries(OutgoingWhatsApp message) {
    return withRetries(message, () -> delegate.sendWhatsApp(message));
  }

  private SendOutcome withRetries(Object what, Supplier<SendResult> attempt) {
    int attempts = 0;
    while (true) {
      SendResult result = attempt.get();
      attempts++;
      if (!(result instanceof SendResult.TransientFailure)
          || !policy.allowsAnotherAttempt(attempts)) {
        return new SendOutcome(result, attempts);
      }
      Duration delay = policy.delayBeforeRetry(attempts, random);
      log.info(
          "Attempt {} for {} failed ({}); retrying in {} ms",
          attempts,
          what,
          result.summary(),
          delay.toMillis());
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException e) {
        // Shutting down: report the failure as it stands, the caller decides what to do with it.
        Thread.currentThread().interrupt();
        return new SendOutcome(result, attempts);
      }
    }
  }
}
