package io.optin.ingest;

import io.optin.avro.ClaimKind;
import io.optin.avro.IntakeClaim;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;

/**
 * The shared limits as a deterministic state machine: applying the same claims in the same order
 * gives the same verdicts, whoever applies them, so every ingest instance that applies the log of
 * {@code optin.intake-claims.v1} judges each signup alike.
 *
 * <p>Its only clock is the log's: the latest {@code claimedAt} applied (claims from instances with
 * skewed clocks never move it back). A claim passes the {@link VelocityLimits} at that time; the
 * first allowed claim of an idempotency key wins it, and later claims of the key are replays of its
 * signupId once its signup is {@code PUBLISHED}, in flight until then, and free again once it is
 * {@code RELEASED}. A key left unpublished for {@code abandonAfter} (its claimer died, or its
 * {@code PUBLISHED} was lost) is not freed by the book: its signup may be in the log, so the next
 * claim of it is told the key is {@link Verdict.Abandoned}, and its claimer looks in the log and
 * writes {@code PUBLISHED} or {@code RELEASED} for the first claim. Keys are kept {@code ttl} after
 * their claim and at most {@code maxKeys} of them (the oldest go first); tokens spent by a claim
 * whose signup was then not published stay spent. Not thread-safe: one applier.
 */
final class ClaimBook {

  private final VelocityLimits limits;
  private final Duration ttl;
  private final int maxKeys;
  private final Duration abandonAfter;
  private Instant logClock = Instant.EPOCH;

  /** By key hash; insertion order is log-clock order, the order of expiry. */
  private final LinkedHashMap<String, Key> keys = new LinkedHashMap<>();

  ClaimBook(IngestSettings settings) {
    this(
        settings.signupsPerPhonePerHour(),
        settings.signupsPerIpPerHour(),
        settings.signupsPerPrefixPerHour(),
        settings.signupsPerCountryPerHour(),
        settings.idempotencyTtl(),
        settings.idempotencyMaxKeys(),
        settings.claimTimeout().plus(settings.publishTimeout()));
  }

  ClaimBook(
      int perPhone,
      int perIp,
      int perPrefix,
      int perCountry,
      Duration ttl,
      int maxKeys,
      Duration abandonAfter) {
    this.limits = new VelocityLimits(perPhone, perIp, perPrefix, perCountry, new LogClock());
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.maxKeys = maxKeys;
    this.abandonAfter = Objects.requireNonNull(abandonAfter, "abandonAfter");
  }

  /** Applies the next record of the log and judges it when it is a {@code CLAIM}. */
  Verdict apply(IntakeClaim claim) {
    if (claim.getClaimedAt().isAfter(logClock)) {
      logClock = claim.getClaimedAt();
    }
    expire();
    String keyHash = claim.getIdempotencyKeySha256();
    ClaimKind kind = claim.getKind();
    if (kind == ClaimKind.CLAIM) {
      return judge(claim, keyHash);
    }
    Key key = keyHash == null ? null : keys.get(keyHash);
    if (key != null && key.claimId().equals(claim.getClaimId())) {
      if (kind == ClaimKind.PUBLISHED) {
        keys.put(keyHash, key.publishedOne());
      } else if (kind == ClaimKind.RELEASED) {
        keys.remove(keyHash);
      }
    }
    return Verdict.NOTED;
  }

  private Verdict judge(IntakeClaim claim, String keyHash) {
    if (keyHash != null) {
      Key first = keys.get(keyHash);
      if (first != null && first.published()) {
        return new Verdict.Replay(first.signupId());
      }
      if (first != null && logClock.isBefore(first.claimedAt().plus(abandonAfter))) {
        return new Verdict.InFlight(first.signupId(), first.claimedAt().plus(abandonAfter));
      }
      if (first != null) {
        return new Verdict.Abandoned(
            first.claimId(), first.signupId(), first.phone(), first.claimedAt());
      }
    }
    VelocityLimits.Verdict verdict =
        limits.acquire(claim.getPhone(), claim.getIp(), claim.getPrefix(), claim.getCountry());
    if (verdict instanceof VelocityLimits.Verdict.Tripped tripped) {
      return new Verdict.Tripped(tripped);
    }
    if (keyHash != null) {
      keys.put(
          keyHash,
          new Key(claim.getClaimId(), claim.getSignupId(), claim.getPhone(), logClock, false));
      Iterator<String> oldest = keys.keySet().iterator();
      while (keys.size() > maxKeys && oldest.hasNext()) {
        oldest.next();
        oldest.remove();
      }
    }
    return Verdict.ALLOWED;
  }

  /** The {@code PUBLISHED} or {@code RELEASED} record that follows a claim, made at {@code at}. */
  static IntakeClaim following(IntakeClaim claim, ClaimKind kind, Instant at) {
    return IntakeClaim.newBuilder()
        .setClaimId(claim.getClaimId())
        .setKind(kind)
        .setSignupId(claim.getSignupId())
        .setProgramId(claim.getProgramId())
        .setIdempotencyKeySha256(claim.getIdempotencyKeySha256())
        .setClaimedAt(at)
        .build();
  }

  /**
   * The signupId a key was answered with, once its signup is published, unless it expired by {@code
   * now} (a reader's clock may run ahead of the log's).
   */
  Optional<String> answerOf(String keyHash, Instant now) {
    Key key = keys.get(keyHash);
    return key != null && key.published() && key.claimedAt().plus(ttl).isAfter(now)
        ? Optional.of(key.signupId())
        : Optional.empty();
  }

  /** Whether a claim holds the key and its signup is not known published yet. */
  boolean inFlight(String keyHash) {
    Key key = keys.get(keyHash);
    return key != null && !key.published();
  }

  /** The latest claim time applied. */
  Instant logClock() {
    return logClock;
  }

  /** Idempotency keys held (for tests). */
  int keys() {
    return keys.size();
  }

  private void expire() {
    Iterator<Key> oldest = keys.values().iterator();
    while (oldest.hasNext()) {
      if (oldest.next().claimedAt().plus(ttl).isAfter(logClock)) {
        return;
      }
      oldest.remove();
    }
  }

  private record Key(
      String claimId, String signupId, String phone, Instant claimedAt, boolean published) {
    Key publishedOne() {
      return new Key(claimId, signupId, phone, claimedAt, true);
    }
  }

  /** What applying a record decided. */
  sealed interface Verdict {
    Verdict ALLOWED = new Allowed();
    Verdict NOTED = new Noted();

    /** The claim passed every limit and won its key (if any): publish its signup. */
    record Allowed() implements Verdict {}

    /** A limit is spent: answer 429. */
    record Tripped(VelocityLimits.Verdict.Tripped limit) implements Verdict {}

    /** The key was answered with this signupId: answer it again, publish nothing. */
    record Replay(String signupId) implements Verdict {}

    /**
     * Another claim holds the key and has not published its signup yet.
     *
     * @param freeAt when the key is free again if that claim's signup is still not published
     */
    record InFlight(String signupId, Instant freeAt) implements Verdict {}

    /**
     * Another claim won the key but its signup was not known published within {@code abandonAfter}:
     * it may be in the log or not. Nothing is spent; the claimer looks for that signup and settles
     * that claim ({@code PUBLISHED} or {@code RELEASED}) before claiming again.
     *
     * @param claimId the claim that holds the key
     * @param signupId the signup that claim would have published
     * @param phone that signup's phone (its partition of the signup topic)
     * @param claimedAt when that claim was made
     */
    record Abandoned(String claimId, String signupId, String phone, Instant claimedAt)
        implements Verdict {

      /** The claim that holds the key, as {@link #following} needs it, from a claim of its key. */
      IntakeClaim holder(IntakeClaim sameKey) {
        return IntakeClaim.newBuilder()
            .setClaimId(claimId)
            .setKind(ClaimKind.CLAIM)
            .setSignupId(signupId)
            .setProgramId(sameKey.getProgramId())
            .setPhone(phone)
            .setIdempotencyKeySha256(sameKey.getIdempotencyKeySha256())
            .setClaimedAt(claimedAt)
            .build();
      }
    }

    /** A {@code PUBLISHED}, {@code RELEASED} or unknown record: nothing to answer. */
    record Noted() implements Verdict {}
  }

  /** The log's clock, as the limits see it. */
  private final class LogClock extends Clock {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the log clock has no zone");
    }

    @Override
    public Instant instant() {
      return logClock;
    }
  }
}
