package io.optin.replies.matching;

import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConfirmationMethod;
import io.optin.avro.MessageChannel;

/**
 * A challenge that a decision closes: how, why, by which confirmation method and over which channel
 * the answer came ({@code confirmedVia}, null for a code entry; both only for CONFIRMED) and at
 * which event time (epoch ms).
 */
public record Closure(
    OpenChallenge challenge,
    ChallengeOutcome outcome,
    String reason,
    ConfirmationMethod method,
    long at,
    MessageChannel confirmedVia) {

  /** A closure that confirms nothing over any channel (expired, locked, rejected). */
  public Closure(
      OpenChallenge challenge,
      ChallengeOutcome outcome,
      String reason,
      ConfirmationMethod method,
      long at) {
    this(challenge, outcome, reason, method, at, null);
  }
}
