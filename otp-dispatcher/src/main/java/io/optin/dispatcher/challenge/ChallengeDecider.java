package io.optin.dispatcher.challenge;

import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.SignupRequested;
import io.optin.domain.status.SubscriptionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Decides what a valid signup does at its event time: suppress it (opted out, already subscribed,
 * cooldown, resend limit), send the open challenge's code again, or open a new challenge. One code
 * per challenge, ever.
 */
public final class ChallengeDecider {

  public static final String OPTED_OUT = "opted out";
  public static final String ALREADY_SUBSCRIBED = "already subscribed";
  public static final String RESEND_COOLDOWN = "challenge already open (resend cooldown)";
  public static final String RESEND_LIMIT = "resend limit reached";

  private final ChallengeTopologyConfig config;
  private final Supplier<String> ids;
  private final ChallengeRecords records;

  /**
   * @param ids source of new challenge and command ids (random UUIDs in production, a counter in
   *     tests)
   */
  public ChallengeDecider(ChallengeTopologyConfig config, Supplier<String> ids) {
    this.config = Objects.requireNonNull(config, "config");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.records = new ChallengeRecords(config);
  }

  /**
   * The decision for {@code signup} (already screened and normalised) given the phone's current
   * state.
   */
  public SignupDecision decide(PhoneStanding state, SignupRequested signup) {
    Instant t = signup.getOccurredAt();
    ProgramChallenge entry = state.program(signup.getProgramId());
    if (state.optedOut() || entry.status() == SubscriptionStatus.OPTED_OUT) {
      return suppress(state, signup, entry, ChallengeOutcome.REJECTED, OPTED_OUT, t);
    }
    if (entry.status() == SubscriptionStatus.CONFIRMED) {
      return suppress(state, signup, entry, ChallengeOutcome.CONFIRMED, ALREADY_SUBSCRIBED, t);
    }
    if (entry.isOpenAt(t)) {
      return resendOrSuppress(state, signup, entry, t);
    }
    return issue(state, signup, t);
  }

  private SignupDecision resendOrSuppress(
      PhoneStanding state, SignupRequested signup, ProgramChallenge open, Instant t) {
    if (open.resendCount() >= config.maxResends()) {
      return suppress(state, signup, open, ChallengeOutcome.OPEN, RESEND_LIMIT, t);
    }
    if (Duration.between(open.lastSentAt(), t).compareTo(config.resendCooldown()) < 0) {
      return suppress(state, signup, open, ChallengeOutcome.OPEN, RESEND_COOLDOWN, t);
    }
    ProgramChallenge resent = open.resentAt(t);
    return new SignupDecision(
        state.with(signup.getProgramId(), resent),
        records.sent(ChallengeEventType.RESENT, resent, signup, t),
        records.sendCode(ids.get(), resent, signup, t));
  }

  private SignupDecision issue(PhoneStanding state, SignupRequested signup, Instant t) {
    var evidence = signup.getEvidence();
    ProgramChallenge issued =
        ProgramChallenge.pending(
            ids.get(),
            signup.getSignupId(),
            t,
            t.plus(config.expiry()),
            evidence.getLocale(),
            evidence.getChannel(),
            evidence.getConsentTextSha256(),
            t);
    return new SignupDecision(
        state.with(signup.getProgramId(), issued),
        records.sent(ChallengeEventType.ISSUED, issued, signup, t),
        records.sendCode(ids.get(), issued, signup, t));
  }

  private SignupDecision suppress(
      PhoneStanding state,
      SignupRequested signup,
      ProgramChallenge related,
      ChallengeOutcome outcome,
      String reason,
      Instant t) {
    String fallbackId = related.challengeId() == null ? ids.get() : null;
    return new SignupDecision(
        state, records.suppressed(signup, related, fallbackId, outcome, reason, t), null);
  }
}
