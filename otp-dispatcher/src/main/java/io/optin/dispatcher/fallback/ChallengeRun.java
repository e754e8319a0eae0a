package io.optin.dispatcher.fallback;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.MessageChannel;
import io.optin.avro.SourceChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One open challenge as the fallback needs it: the facts of its ISSUED event, the channels tried so
 * far (the last is the current attempt), the provider sids of the current attempt, and when the
 * next channel is due if nothing is delivered.
 *
 * @param tried the channels asked for, in order, SMS first; a channel is never in it twice, which
 *     is what makes one send per (challenge, channel)
 * @param sids provider sids (SM…, CA…) of the current attempt, to match status callbacks
 * @param dueAt wall-clock time at which the next channel is tried; null once the current attempt
 *     was delivered, or once nothing more will be tried
 * @param finished nothing more will be tried (no channel left, or a failure that forbids any); kept
 *     until the window ends so a RESENT or a late report cannot start the fallback again
 */
public record ChallengeRun(
    String challengeId,
    String signupId,
    String programId,
    String locale,
    SourceChannel sourceChannel,
    String consentTextSha256,
    Instant requestedAt,
    Instant issuedAt,
    Instant expiresAt,
    List<MessageChannel> tried,
    List<String> sids,
    Instant dueAt,
    boolean finished) {

  public ChallengeRun {
    Objects.requireNonNull(challengeId, "challengeId");
    Objects.requireNonNull(expiresAt, "expiresAt");
    tried = tried == null ? List.of() : List.copyOf(tried);
    sids = sids == null ? List.of() : List.copyOf(sids);
  }

  /** A challenge just issued by SMS, its next channel due at {@code dueAt}. */
  static ChallengeRun issued(ChallengeEvent event, Instant dueAt) {
    return new ChallengeRun(
        event.getChallengeId(),
        event.getSignupId(),
        event.getProgramId(),
        event.getLocale(),
        event.getChannel(),
        event.getConsentTextSha256(),
        event.getRequestedAt(),
        event.getIssuedAt(),
        event.getExpiresAt(),
        List.of(MessageChannel.SMS),
        List.of(),
        dueAt,
        false);
  }

  /** The channel of the current attempt. */
  public MessageChannel current() {
    return tried.isEmpty() ? MessageChannel.SMS : tried.get(tried.size() - 1);
  }

  /** When the processor must look at this run again: the due time, else the end of the window. */
  Instant wakeAt() {
    return dueAt != null && dueAt.isBefore(expiresAt) ? dueAt : expiresAt;
  }

  ChallengeRun withSid(String sid) {
    if (sid == null || sids.contains(sid)) {
      return this;
    }
    List<String> more = new ArrayList<>(sids);
    more.add(sid);
    return with(tried, more, dueAt, finished);
  }

  /** The current attempt arrived: nothing is due any more. */
  ChallengeRun delivered() {
    return with(tried, sids, null, finished);
  }

  /** Nothing more will be tried. */
  ChallengeRun finish() {
    return with(tried, sids, null, true);
  }

  /** The code asked again on {@code next}, the one after due at {@code dueAt}. */
  ChallengeRun movedTo(MessageChannel next, Instant nextDueAt) {
    List<MessageChannel> more = new ArrayList<>(tried);
    more.add(next);
    return with(more, List.of(), nextDueAt, false);
  }

  /** The SMS was sent again (a RESENT): its wait starts again. */
  ChallengeRun rearmed(Instant nextDueAt) {
    return with(tried, sids, nextDueAt, finished);
  }

  private ChallengeRun with(
      List<MessageChannel> tried, List<String> sids, Instant dueAt, boolean finished) {
    return new ChallengeRun(
        challengeId,
        signupId,
        programId,
        locale,
        sourceChannel,
        consentTextSha256,
        requestedAt,
        issuedAt,
        expiresAt,
        tried,
        sids,
        dueAt,
        finished);
  }
}
