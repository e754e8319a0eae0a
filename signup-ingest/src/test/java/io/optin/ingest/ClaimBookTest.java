package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ClaimKind;
import io.optin.avro.IntakeClaim;
import io.optin.ingest.ClaimBook.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClaimBookTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Duration TTL = Duration.ofHours(24);
  private static final Duration ABANDON = Duration.ofSeconds(20);

  /** 3 per phone, 5 per IP, 8 per prefix, 12 per country an hour; 24 h keys, at most 4. */
  private static ClaimBook book() {
    return new ClaimBook(3, 5, 8, 12, TTL, 4, ABANDON);
  }

  private static int ids;

  private static IntakeClaim claim(String phone, String ip, String key, Instant at) {
    ids++;
    return IntakeClaim.newBuilder()
        .setClaimId("claim-" + ids)
        .setKind(ClaimKind.CLAIM)
        .setSignupId("signup-" + ids)
        .setProgramId("acme")
        .setPhone(phone)
        .setIp(ip)
        .setPrefix(phone.substring(0, 7))
        .setCountry("US")
        .setIdempotencyKeySha256(key == null ? null : SignupIntake.keyHash("acme", key))
        .setClaimedAt(at)
        .build();
  }

  private static IntakeClaim published(IntakeClaim claim, Instant at) {
    return ClaimBook.following(claim, ClaimKind.PUBLISHED, at);
  }

  @Test
  void shouldReachTheSameVerdictsFromTheSameClaimsInTheSameOrder() {
    // Given a random mix of claims, publications and releases, over phones, IPs and keys that
    // collide, at times that go back and forth (skewed instance clocks)
    Random random = new Random(7);
    List<IntakeClaim> log = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      Instant at = T0.plusSeconds(i * 7L + random.nextInt(30) - 15);
      IntakeClaim claim =
          claim(
              "+1415555" + String.format("%04d", random.nextInt(40)),
              "198.51.100." + random.nextInt(12),
              random.nextInt(3) == 0 ? "order-" + random.nextInt(50) : null,
              at);
      log.add(claim);
      if (random.nextBoolean()) {
        log.add(
            ClaimBook.following(
                claim,
                random.nextInt(4) == 0 ? ClaimKind.RELEASED : ClaimKind.PUBLISHED,
                at.plusMillis(5)));
      }
    }

    // When two books apply the log
    ClaimBook one = book();
    ClaimBook other = book();
    List<Verdict> first = log.stream().map(one::apply).toList();
    List<Verdict> second = log.stream().map(other::apply).toList();

    // Then they judge every record alike, and the log judged something of each kind
    assertThat(second).isEqualTo(first);
    assertThat(first)
        .extracting(v -> v.getClass().getSimpleName())
        .contains("Allowed", "Tripped", "Replay", "Noted");
    assertThat(one.keys()).isEqualTo(other.keys());
  }

  @Test
  void shouldAllowEachLimitOnceThenTripItUntilTheClaimClockRefillsIt() {
    // Given a book
    ClaimBook book = book();

    // When one phone claims 4 times at once, then 20 minutes later (one token is back)
    List<Verdict> burst = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      burst.add(book.apply(claim("+14155550100", "198.51.100.1", null, T0)));
    }
    Verdict later =
        book.apply(claim("+14155550100", "198.51.100.1", null, T0.plus(Duration.ofMinutes(20))));

    // Then three pass, the fourth trips the phone limit with the wait for the next token
    assertThat(burst.subList(0, 3)).containsOnly(Verdict.ALLOWED);
    assertThat(burst.get(3))
        .isEqualTo(
            new Verdict.Tripped(
                new VelocityLimits.Verdict.Tripped("phone", 3, Duration.ofMinutes(20))));
    assertThat(later).isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void shouldTripTheIpLimitAcrossPhones() {
    ClaimBook book = book();
    List<Verdict> verdicts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      verdicts.add(book.apply(claim("+1415555010" + i, "198.51.100.1", null, T0)));
    }

    assertThat(verdicts.subList(0, 5)).containsOnly(Verdict.ALLOWED);
    assertThat(verdicts.get(5))
        .isInstanceOfSatisfying(
            Verdict.Tripped.class, t -> assertThat(t.limit().limit()).isEqualTo("ip"));
  }

  @Test
  void shouldLetTheFirstAllowedClaimOfAKeyWinAndReplayItOncePublished() {
    // Given a key claimed first by one instance and then by another before the first published
    ClaimBook book = book();
    IntakeClaim first = claim("+14155550100", "198.51.100.1", "order-1", T0);
    IntakeClaim second = claim("+14155550100", "198.51.100.2", "order-1", T0.plusMillis(3));
    IntakeClaim third = claim("+14155550100", "198.51.100.3", "order-1", T0.plusMillis(9));

    // When they are applied around the first's publication
    Verdict firstVerdict = book.apply(first);
    Verdict secondVerdict = book.apply(second);
    book.apply(published(first, T0.plusMillis(5)));
    Verdict thirdVerdict = book.apply(third);

    // Then the first wins, the second is told it is in flight, the third replays the first's
    // signupId, and only the first spent a token
    assertThat(firstVerdict).isEqualTo(Verdict.ALLOWED);
    assertThat(secondVerdict)
        .isEqualTo(new Verdict.InFlight(first.getSignupId(), T0.plus(ABANDON)));
    assertThat(thirdVerdict).isEqualTo(new Verdict.Replay(first.getSignupId()));
    assertThat(book.answerOf(first.getIdempotencyKeySha256(), T0.plusSeconds(1)))
        .hasValue(first.getSignupId());
    assertThat(book.apply(claim("+14155550100", "198.51.100.4", null, T0.plusMillis(10))))
        .isEqualTo(Verdict.ALLOWED);
    assertThat(book.apply(claim("+14155550100", "198.51.100.4", null, T0.plusMillis(11))))
        .isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void shouldFreeAReleasedKeyAndTellTheClaimOfAKeyLeftUnpublishedPastTheAbandonTime() {
    // Given two keys won by claims whose signups were not published
    // (2 signups per phone an hour: the holder spends one, its successor the other)
    ClaimBook book = new ClaimBook(2, 5, 8, 12, TTL, 4, ABANDON);
    IntakeClaim released = claim("+14155550100", null, "order-1", T0);
    IntakeClaim abandoned = claim("+14155550101", null, "order-2", T0);
    book.apply(released);
    book.apply(abandoned);
    book.apply(ClaimBook.following(released, ClaimKind.RELEASED, T0.plusSeconds(1)));

    // When each key is claimed again: the released one at once, the abandoned one just before and
    // after its claimer is taken for gone
    IntakeClaim retry = claim("+14155550102", null, "order-1", T0.plusSeconds(2));
    IntakeClaim tooSoon = claim("+14155550101", null, "order-2", T0.plus(ABANDON).minusMillis(1));
    IntakeClaim afterwards = claim("+14155550101", null, "order-2", T0.plus(ABANDON));

    // Then the released key is won again; the abandoned one is in flight until then, then named
    // with its holder's signup, still held, and no token of the phone is spent on it
    assertThat(book.apply(retry)).isEqualTo(Verdict.ALLOWED);
    assertThat(book.apply(tooSoon))
        .isEqualTo(new Verdict.InFlight(abandoned.getSignupId(), T0.plus(ABANDON)));
    Verdict told = book.apply(afterwards);
    assertThat(told)
        .isEqualTo(
            new Verdict.Abandoned(
                abandoned.getClaimId(),
                abandoned.getSignupId(),
                abandoned.getPhone(),
                abandoned.getClaimedAt()));
    assertThat(book.inFlight(afterwards.getIdempotencyKeySha256())).isTrue();
    IntakeClaim holder = ((Verdict.Abandoned) told).holder(afterwards);
    assertThat(holder.getProgramId()).isEqualTo(abandoned.getProgramId());
    assertThat(holder.getIdempotencyKeySha256()).isEqualTo(abandoned.getIdempotencyKeySha256());

    // And once its claimer settles the holder, the key is free, or answered
    book.apply(ClaimBook.following(holder, ClaimKind.RELEASED, T0.plus(ABANDON)));
    IntakeClaim reclaimed = claim("+14155550101", null, "order-2", T0.plus(ABANDON));
    assertThat(book.apply(reclaimed)).isEqualTo(Verdict.ALLOWED);
    book.apply(ClaimBook.following(reclaimed, ClaimKind.PUBLISHED, T0.plus(ABANDON)));
    assertThat(book.apply(claim("+14155550101", null, "order-2", T0.plus(ABANDON))))
        .isEqualTo(new Verdict.Replay(reclaimed.getSignupId()));
  }

  @Test
  void shouldAnswerAnAbandonedKeyOnceItsHolderIsSettledPublished() {
    // Given a key whose claim was never settled, past the abandon time
    ClaimBook book = book();
    IntakeClaim holder = claim("+14155550103", null, "order-3", T0);
    book.apply(holder);
    Verdict told = book.apply(claim("+14155550103", null, "order-3", T0.plus(ABANDON)));
    assertThat(told).isInstanceOf(Verdict.Abandoned.class);

    // When a claimer found its signup in the log and settles it PUBLISHED
    book.apply(
        ClaimBook.following(
            ((Verdict.Abandoned) told).holder(holder), ClaimKind.PUBLISHED, T0.plus(ABANDON)));

    // Then the key is answered with the holder's signupId
    assertThat(book.apply(claim("+14155550103", null, "order-3", T0.plus(ABANDON))))
        .isEqualTo(new Verdict.Replay(holder.getSignupId()));
    assertThat(book.answerOf(holder.getIdempotencyKeySha256(), T0.plus(ABANDON)))
        .hasValue(holder.getSignupId());
  }

  @Test
  void shouldKeepNoKeyOnATrippedClaimSoTheRetryIsJudgedAgain() {
    ClaimBook book = new ClaimBook(1, 0, 0, 0, TTL, 4, ABANDON);
    book.apply(claim("+14155550100", null, null, T0));

    Verdict tripped = book.apply(claim("+14155550100", null, "order-1", T0));
    Verdict retried =
        book.apply(claim("+14155550100", null, "order-1", T0.plus(Duration.ofHours(1))));

    assertThat(tripped).isInstanceOf(Verdict.Tripped.class);
    assertThat(retried).isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void shouldExpireKeysByTheClaimsClockNotTheReadersClock() {
    // Given a key answered at T0
    ClaimBook book = book();
    IntakeClaim first = claim("+14155550100", null, "order-1", T0);
    book.apply(first);
    book.apply(published(first, T0));

    // When claims move the log's clock to just before, then to the end of the ttl
    Verdict within =
        book.apply(claim("+14155550100", null, "order-1", T0.plus(TTL).minusMillis(1)));
    book.apply(claim("+14155550199", null, null, T0.plus(TTL)));

    // Then the key is replayed within the ttl and forgotten at its end; a reader whose clock is
    // past the ttl is not answered from it even before any claim moved the log's clock there
    assertThat(within).isEqualTo(new Verdict.Replay(first.getSignupId()));
    assertThat(book.keys()).isZero();
    ClaimBook other = book();
    other.apply(first);
    other.apply(published(first, T0));
    assertThat(other.answerOf(first.getIdempotencyKeySha256(), T0.plus(TTL))).isEmpty();
    assertThat(other.answerOf(first.getIdempotencyKeySha256(), T0.plus(TTL).minusMillis(1)))
        .hasValue(first.getSignupId());
  }

  @Test
  void shouldNeverMoveTheLogClockBackForALateClaim() {
    ClaimBook book = book();
    book.apply(claim("+14155550100", null, null, T0.plusSeconds(60)));

    book.apply(claim("+14155550101", null, null, T0));

    assertThat(book.logClock()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void shouldScopeKeysPerProgramAndHoldAtMostMaxKeys() {
    // Given 6 keys answered, one a second, in a book holding 4
    ClaimBook book = book();
    List<IntakeClaim> claims = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      IntakeClaim claim = claim("+1415555020" + i, null, "order-" + i, T0.plusSeconds(i));
      claims.add(claim);
      book.apply(claim);
      book.apply(published(claim, T0.plusSeconds(i)));
    }

    // Then the 4 latest are held, the 2 oldest forgotten, and another program's key is apart
    assertThat(book.keys()).isEqualTo(4);
    assertThat(book.answerOf(claims.get(0).getIdempotencyKeySha256(), T0)).isEmpty();
    assertThat(book.answerOf(claims.get(5).getIdempotencyKeySha256(), T0))
        .hasValue(claims.get(5).getSignupId());
    assertThat(SignupIntake.keyHash("other", "order-5"))
        .isNotEqualTo(claims.get(5).getIdempotencyKeySha256());
  }
}
