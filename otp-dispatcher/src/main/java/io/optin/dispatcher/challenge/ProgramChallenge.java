package io.optin.dispatcher.challenge;

import io.optin.avro.SourceChannel;
import io.optin.domain.status.SubscriptionStatus;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Where one phone stands with one program, as the dispatcher needs it to decide a signup: the
 * status and, while a challenge is pending, the facts of that challenge (its code is derived from
 * {@code challengeId}, never kept).
 *
 * @param status NONE, PENDING, CONFIRMED or OPTED_OUT; NONE is never stored: an entry that falls
 *     back to NONE is removed
 * @param challengeId the pending challenge, or the one that confirmed the program
 * @param signupId the signup that opened the challenge
 * @param lastSentAt event time of the last send of the code (issue or resend)
 * @param resendCount how many times the code was sent again
 */
public record ProgramChallenge(
    SubscriptionStatus status,
    String challengeId,
    String signupId,
    Instant issuedAt,
    Instant expiresAt,
    Instant lastSentAt,
    int resendCount,
    String locale,
    SourceChannel channel,
    String consentTextSha256,
    Instant requestedAt) {

  /** The statuses the dispatcher keeps: any other ending frees the program (NONE). */
  private static final Set<SubscriptionStatus> KEPT =
      EnumSet.of(
          SubscriptionStatus.NONE,
          SubscriptionStatus.PENDING,
          SubscriptionStatus.CONFIRMED,
          SubscriptionStatus.OPTED_OUT);

  /** Nothing known: a signup may open a challenge. */
  public static final ProgramChallenge NONE = settled(SubscriptionStatus.NONE, null);

  public ProgramChallenge {
    Objects.requireNonNull(status, "status");
    if (!KEPT.contains(status)) {
      throw new IllegalArgumentException("the dispatcher keeps no " + status + " program");
    }
    channel = channel == null ? SourceChannel.UNKNOWN : channel;
  }

  /** A freshly issued challenge, its code sent at {@code issuedAt}. */
  public static ProgramChallenge pending(
      String challengeId,
      String signupId,
      Instant issuedAt,
      Instant expiresAt,
      String locale,
      SourceChannel channel,
      String consentTextSha256,
      Instant requestedAt) {
    return new ProgramChallenge(
        SubscriptionStatus.PENDING,
        challengeId,
        signupId,
        issuedAt,
        expiresAt,
        issuedAt,
        0,
        locale,
        channel,
        consentTextSha256,
        requestedAt);
  }

  /**
   * Whether a challenge is pending and its window (end exclusive) still contains event time {@code
   * t}.
   */
  public boolean isOpenAt(Instant t) {
    return status == SubscriptionStatus.PENDING && t.isBefore(expiresAt);
  }

  /** The same challenge, its code sent once more at {@code t}. */
  public ProgramChallenge resentAt(Instant t) {
    return new ProgramChallenge(
        status,
        challengeId,
        signupId,
        issuedAt,
        expiresAt,
        t,
        resendCount + 1,
        locale,
        channel,
        consentTextSha256,
        requestedAt);
  }

  /**
   * The program confirmed by {@code confirmedChallengeId}; the challenge facts are no longer
   * needed.
   */
  public static ProgramChallenge confirmed(String confirmedChallengeId) {
    return settled(SubscriptionStatus.CONFIRMED, confirmedChallengeId);
  }

  /** The program opted out of (reply STOP). */
  public static ProgramChallenge optedOut(String lastChallengeId) {
    return settled(SubscriptionStatus.OPTED_OUT, lastChallengeId);
  }

  /**
   * A program in {@code status} after {@code challengeId}, without the facts of an open challenge.
   */
  private static ProgramChallenge settled(SubscriptionStatus status, String challengeId) {
    return new ProgramChallenge(
        status, challengeId, null, null, null, null, 0, null, SourceChannel.UNKNOWN, null, null);
  }
}
