package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ClaimKind;
import io.optin.avro.IntakeClaim;
import io.optin.kit.kafka.PublishedRecords;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A signup the shared limits could not judge in time is answered 503 with {@code Retry-After} and
 * never published; its claim is released so its idempotency key is not held.
 */
class UnjudgedSignupTest {

  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final String BODY =
      """
      {"phone":"+14155550100","programId":"acme-deals",
       "consentText":"Yes, text me Acme deals. Msg & data rates may apply. Reply STOP to opt out.",
       "locale":"en-US","idempotencyKey":"order-9",
       "source":{"channel":"web_form","ip":"203.0.113.7"}}""";

  private final MutableClock clock = new MutableClock(NOW);
  private final PublishedRecords published = new PublishedRecords();
  private final PublishedRecords claimsWritten = new PublishedRecords();
  private final IngestSettings settings =
      TestIngestSettings.with(Map.of("ingest.claim.timeout", "200ms"));
  private final ReplicatedIntakeClaims claims =
      new ReplicatedIntakeClaims(
          new ClaimBook(settings),
          claimsWritten.publisher(),
          new MockConsumer<>("earliest"),
          new AvroSerdes(new InMemorySchemaRegistryClient(), true)
              .forTopic(Topics.INTAKE_CLAIMS)
              .deserializer(),
          Duration.ofHours(24),
          settings.claimTimeout(),
          clock);
  private final SignupIntake intake =
      ClaimingIntakes.of(settings, claims, SignupLog.UNKNOWN, published, clock);

  @AfterEach
  void close() {
    claims.close();
  }

  @Test
  void shouldAnswer503AndPublishNothingWhenTheClaimIsNotAppliedInTime() {
    // Given claims that are written but never read back (the follower is not running)

    // When a signup comes in
    SignupAnswer answer = intake.submit(BODY.getBytes(StandardCharsets.UTF_8));

    // Then it is answered 503 with Retry-After, no signup is published, and the claim is followed
    // by its release
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.retryAfterSeconds()).isEqualTo(1L);
    assertThat(answer.error())
        .isEqualTo("the signup could not be checked against the limits; retry later");
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).isEmpty();
    assertThat(claimsWritten.on(Topics.INTAKE_CLAIMS))
        .extracting(IntakeClaim::getKind)
        .containsExactly(ClaimKind.CLAIM, ClaimKind.RELEASED);
    assertThat(claimsWritten.on(Topics.INTAKE_CLAIMS))
        .extracting(IntakeClaim::getClaimId)
        .containsOnly(claimsWritten.on(Topics.INTAKE_CLAIMS).get(0).getClaimId());
    assertThat(claimsWritten.keysOn(Topics.INTAKE_CLAIMS)).containsOnly(ReplicatedIntakeClaims.KEY);
  }

  @Test
  void shouldAnswer503AndPublishNothingWhenTheClaimCannotBeWritten() {
    // Given a broker that refuses writes
    claimsWritten.failSends(new IllegalStateException("broker unavailable (test)"));

    // When a signup comes in
    SignupAnswer answer = intake.submit(BODY.getBytes(StandardCharsets.UTF_8));

    // Then it is refused with Retry-After, and nothing is published
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.retryAfterSeconds()).isEqualTo(1L);
    assertThat(published.on(Topics.SIGNUP_REQUESTS)).isEmpty();
  }

  @Test
  void shouldAnswer503WithRetryAfterUntilTheKeyOfADeadClaimerIsAbandoned() {
    // Given a key won by a claim whose instance died before publishing (claim 200ms + publish 15s),
    // and a signup log that does not hold its signup
    LocalIntakeClaims local = new LocalIntakeClaims(new ClaimBook(settings));
    SignupIntake alone =
        ClaimingIntakes.of(
            settings, local, signup -> CompletableFuture.completedFuture(false), published, clock);
    local.judge(
        IntakeClaim.newBuilder()
            .setClaimId("dead-claim")
            .setKind(ClaimKind.CLAIM)
            .setSignupId("never-published")
            .setProgramId("acme-deals")
            .setPhone("+14155550100")
            .setIdempotencyKeySha256(SignupIntake.keyHash("acme-deals", "order-9"))
            .setClaimedAt(NOW)
            .build());

    // When the platform retries the key at once, then once its claim is taken as abandoned
    SignupAnswer meanwhile = alone.submit(BODY.getBytes(StandardCharsets.UTF_8));
    clock.advance(Duration.ofMillis(15_200));
    SignupAnswer afterwards = alone.submit(BODY.getBytes(StandardCharsets.UTF_8));

    // Then it is told to retry then, and is then accepted and published once
    assertThat(meanwhile.status()).isEqualTo(503);
    assertThat(meanwhile.retryAfterSeconds()).isEqualTo(16L);
    assertThat(meanwhile.error())
        .isEqualTo("a signup with this idempotencyKey is still being processed; retry later");
    assertThat(afterwards.status()).isEqualTo(202);
    assertThat(published.on(Topics.SIGNUP_REQUESTS))
        .extracting(s -> s.getSignupId())
        .containsExactly((String) afterwards.body().get("signupId"));
  }
}
