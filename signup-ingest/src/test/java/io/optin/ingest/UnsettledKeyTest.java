package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ClaimKind;
import io.optin.avro.IntakeClaim;
import io.optin.avro.OptInStatus;
import io.optin.avro.SignupRequested;
import io.optin.kit.kafka.PublishedRecords;
import io.optin.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A key held by a claim that was never settled (its instance was killed between writing the signup
 * and saying so, or its PUBLISHED was lost): past the abandon time, the next claimer asks the
 * signup log before anything is published, so a retry never publishes a second signup of a key
 * whose first is in the log.
 */
class UnsettledKeyTest {

  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final String PHONE = "+14155550100";
  private static final byte[] BODY = KeyedSignupBody.ORDER_9;

  /** Abandoned 4 s after the claim. */
  private final IngestSettings settings =
      TestIngestSettings.with(Map.of("ingest.publish.timeout", "1s", "ingest.claim.timeout", "3s"));

  private final MutableClock clock = new MutableClock(NOW);
  private final PublishedRecords published = new PublishedRecords();
  private final LocalIntakeClaims claims = new LocalIntakeClaims(new ClaimBook(settings));
  private final List<SoughtSignup> sought = new CopyOnWriteArrayList<>();
  private final SubscriberStatusTable statuses = new SubscriberStatusTable();

  /** What the signup log answers; cannot tell unless a test says. */
  private volatile CompletableFuture<Boolean> logAnswer =
      CompletableFuture.failedFuture(new IllegalStateException("log unreadable (test)"));

  private final SignupIntake intake =
      ClaimingIntakes.of(
          settings,
          claims,
          signup -> {
            sought.add(signup);
            return logAnswer;
          },
          published,
          statuses,
          clock);

  /** The claim of an instance that died before it settled it, made now. */
  private IntakeClaim claimLeftUnsettled() {
    IntakeClaim holder =
        IntakeClaim.newBuilder()
            .setClaimId("claim-of-the-dead")
            .setKind(ClaimKind.CLAIM)
            .setSignupId("signup-of-the-dead")
            .setProgramId("acme-deals")
            .setPhone(PHONE)
            .setIp("203.0.113.7")
            .setPrefix("+141555")
            .setCountry("US")
            .setIdempotencyKeySha256(SignupIntake.keyHash("acme-deals", "order-9"))
            .setClaimedAt(clock.instant())
            .build();
    assertThat(claims.judge(holder)).isEqualTo(ClaimBook.Verdict.ALLOWED);
    return holder;
  }

  @Test
  void shouldAnswerTheHoldersSignupWhenTheLogHoldsIt() {
    // Given a key left unsettled past the abandon time, whose signup is in the log
    IntakeClaim holder = claimLeftUnsettled();
    clock.advance(Duration.ofSeconds(5));
    logAnswer = CompletableFuture.completedFuture(true);

    // When the platform retries the key, twice
    SignupAnswer retry = intake.submit(BODY);
    SignupAnswer again = intake.submit(BODY);

    // Then both are the holder's signup, nothing is published, and the log was asked once, for
    // that signup under its phone, read once its producer could no longer be sending it
    assertThat(retry.status()).isEqualTo(202);
    assertThat(retry.body().get("signupId").toString()).isEqualTo(holder.getSignupId());
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.body().get("signupId").toString()).isEqualTo(holder.getSignupId());
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).isEmpty();
    assertThat(sought)
        .containsExactly(
            new SoughtSignup(PHONE, holder.getSignupId(), NOW, NOW.plus(Duration.ofSeconds(1))));
  }

  @Test
  void shouldPublishTheRetryOnceWhenTheLogLacksTheHoldersSignup() {
    // Given a key left unsettled past the abandon time, whose signup never reached the log
    IntakeClaim holder = claimLeftUnsettled();
    clock.advance(Duration.ofSeconds(5));
    logAnswer = CompletableFuture.completedFuture(false);

    // When the platform retries the key, twice
    SignupAnswer retry = intake.submit(BODY);
    SignupAnswer again = intake.submit(BODY);

    // Then the retry is published as a new signup, once, and the repeat answers it
    assertThat(retry.status()).isEqualTo(202);
    String retryId = retry.body().get("signupId").toString();
    assertThat(retryId).isNotEqualTo(holder.getSignupId());
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.body().get("signupId").toString()).isEqualTo(retryId);
    assertThat(published.on(Topics.SIGNUP_REQUESTS))
        .extracting(SignupRequested::getSignupId)
        .containsExactly(retryId);
    assertThat(sought).hasSize(1);
  }

  @Test
  void shouldKeepTheKeyHeldAndPublishNothingWhileTheLogCannotTell() {
    // Given a key left unsettled past the abandon time, and a log that cannot be read
    claimLeftUnsettled();
    clock.advance(Duration.ofSeconds(5));

    // When the platform retries the key
    SignupAnswer retry = intake.submit(BODY);

    // Then it is told to retry soon, nothing is published, and the key is still held
    assertThat(retry.status()).isEqualTo(503);
    assertThat(retry.error())
        .isEqualTo("a signup with this idempotencyKey is still being processed; retry later");
    assertThat(retry.retryAfterSeconds()).isEqualTo(1L);
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).isEmpty();
    assertThat(sought).hasSize(1);

    // And once the log can tell, the next retry is answered
    logAnswer = CompletableFuture.completedFuture(true);
    assertThat(intake.submit(BODY).body().get("signupId").toString())
        .isEqualTo("signup-of-the-dead");
  }

  @Test
  void shouldAnswerTheHoldersSignupRatherThan409WhenItsPhoneWasConfirmedSince() {
    // Given a key left unsettled past the abandon time, whose signup is in the log and whose phone
    // has confirmed since (the platform never got the first answer)
    IntakeClaim holder = claimLeftUnsettled();
    clock.advance(Duration.ofSeconds(5));
    statuses.put("acme-deals", PHONE, OptInStatus.CONFIRMED);
    logAnswer = CompletableFuture.completedFuture(true);

    // When the platform retries the key
    SignupAnswer retry = intake.submit(BODY);

    // Then it gets the first's 202, not a 409 about its own signup, and nothing is published
    assertThat(retry.status()).isEqualTo(202);
    assertThat(retry.body().get("signupId").toString()).isEqualTo(holder.getSignupId());
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).isEmpty();
  }

  @Test
  void shouldStillRefuseAConfirmedPhoneWhenTheUnsettledKeysSignupIsNotInTheLog() {
    // Given a key left unsettled past the abandon time, whose signup never reached the log, and a
    // phone confirmed by another signup
    claimLeftUnsettled();
    clock.advance(Duration.ofSeconds(5));
    statuses.put("acme-deals", PHONE, OptInStatus.CONFIRMED);
    logAnswer = CompletableFuture.completedFuture(false);

    // When the platform retries the key
    SignupAnswer retry = intake.submit(BODY);

    // Then the phone's standing answers, and nothing is published
    assertThat(retry.status()).isEqualTo(409);
    assertThat(retry.error()).isEqualTo("phone already confirmed for this program");
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).isEmpty();
  }
}
