package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.avro.SignupRequested;
import io.optin.kit.kafka.PublishedRecords;
import io.optin.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A signup answered 503 because Kafka did not acknowledge it in time holds its idempotency key
 * until the record's fate is known: acknowledged later, a retry of the key replays it (one signup,
 * one id); certainly not written, the key is free for the retry; expired by the producer's delivery
 * timeout (maybe written), the key stays held until the book abandons it.
 */
class LateAcknowledgementTest {

  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final byte[] BODY = KeyedSignupBody.ORDER_9;

  private final MutableClock clock = new MutableClock(NOW);
  private final PublishedRecords published = PublishedRecords.withHeldAcks();
  private final IngestSettings settings =
      TestIngestSettings.with(Map.of("ingest.publish.timeout", "1s", "ingest.claim.timeout", "3s"));

  /** What the signup log says of a record whose delivery timed out; unknown unless a test says. */
  private volatile SignupLog log = SignupLog.UNKNOWN;

  private final SignupIntake intake =
      ClaimingIntakes.of(
          settings,
          new LocalIntakeClaims(new ClaimBook(settings)),
          signup -> log.holds(signup),
          published,
          clock);

  @Test
  void shouldReplayASignupAcknowledgedAfterIts503() {
    // Given a signup answered 503 because its acknowledgement came after the wait
    SignupAnswer first = intake.submit(BODY);
    assertThat(first.status()).isEqualTo(503);

    // When the record is acknowledged, then the platform retries the key
    assertThat(published.ackNext()).isTrue();
    settled();
    SignupAnswer retry = intake.submit(BODY);

    // Then the retry is the signup already written: same id, nothing published again
    assertThat(retry.status()).isEqualTo(202);
    assertThat(published.on(Topics.SIGNUP_REQUESTS))
        .extracting(SignupRequested::getSignupId)
        .containsExactly(retry.body().get("signupId").toString());
  }

  @Test
  void shouldFreeTheKeyOfASignupCertainlyNotWritten() {
    // Given a signup the broker refused outright (not a timeout: it is not in the log)
    SignupAnswer first = intake.submit(BODY);
    assertThat(published.failNext(new RecordTooLargeException("refused (test)"))).isTrue();
    settled();

    // When the platform retries the key and the broker acknowledges it
    CompletableFuture<SignupAnswer> retry =
        CompletableFuture.supplyAsync(() -> intake.submit(BODY));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> published.on(Topics.SIGNUP_REQUESTS).size() == 2);
    assertThat(published.ackNext()).isTrue();

    // Then the retry is a new signup, the only one written
    assertThat(first.status()).isEqualTo(503);
    SignupAnswer accepted = retry.join();
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(published.on(Topics.SIGNUP_REQUESTS).get(1).getSignupId())
        .isEqualTo(accepted.body().get("signupId").toString())
        .isNotEqualTo(published.on(Topics.SIGNUP_REQUESTS).get(0).getSignupId());
  }

  @Test
  void shouldReplayASignupWhoseDeliveryTimedOutWhenTheLogHoldsIt() {
    // Given a signup expired by the producer's delivery timeout, which the broker wrote anyway
    log = signup -> CompletableFuture.completedFuture(true);
    SignupAnswer first = intake.submit(BODY);
    assertThat(published.failNext(new TimeoutException("Expiring 1 record(s) (test)"))).isTrue();
    settled();

    // When the platform retries the key
    SignupAnswer retry = intake.submit(BODY);

    // Then the retry is the signup in the log: same id, nothing published again
    assertThat(first.status()).isEqualTo(503);
    assertThat(retry.status()).isEqualTo(202);
    assertThat(published.on(Topics.SIGNUP_REQUESTS))
        .extracting(SignupRequested::getSignupId)
        .containsExactly(retry.body().get("signupId").toString());
  }

  @Test
  void shouldFreeTheKeyOfASignupWhoseDeliveryTimedOutWhenTheLogLacksIt() {
    // Given a signup expired by the producer's delivery timeout, which the log does not hold
    log = signup -> CompletableFuture.completedFuture(false);
    intake.submit(BODY);
    assertThat(published.failNext(new TimeoutException("Expiring 1 record(s) (test)"))).isTrue();
    settled();

    // When the platform retries the key and the broker acknowledges it
    CompletableFuture<SignupAnswer> retry =
        CompletableFuture.supplyAsync(() -> intake.submit(BODY));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> published.on(Topics.SIGNUP_REQUESTS).size() == 2);
    assertThat(published.ackNext()).isTrue();

    // Then the retry is a new signup
    SignupAnswer accepted = retry.join();
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(published.on(Topics.SIGNUP_REQUESTS).get(1).getSignupId())
        .isEqualTo(accepted.body().get("signupId").toString());
  }

  @Test
  void shouldHoldTheKeyOfASignupWhoseDeliveryTimedOutWhenTheLogCannotTell() {
    // Given a signup expired by the producer's delivery timeout, and a log that cannot be read
    SignupAnswer first = intake.submit(BODY);
    assertThat(published.failNext(new TimeoutException("Expiring 1 record(s) (test)"))).isTrue();
    settled();

    // When the platform retries the key at once
    SignupAnswer retry = intake.submit(BODY);

    // Then it is told to come back once the key is abandoned, and nothing is published again
    assertThat(first.status()).isEqualTo(503);
    assertThat(retry.status()).isEqualTo(503);
    assertThat(retry.error())
        .isEqualTo("a signup with this idempotencyKey is still being processed; retry later");
    assertThat(retry.retryAfterSeconds()).isEqualTo(4L);
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).hasSize(1);
  }

  /** The claims learn a record's fate off the producer's thread, on the common pool. */
  private static void settled() {
    assertThat(ForkJoinPool.commonPool().awaitQuiescence(10, TimeUnit.SECONDS)).isTrue();
  }
}
