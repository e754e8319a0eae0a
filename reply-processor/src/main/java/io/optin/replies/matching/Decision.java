package io.optin.replies.matching;

import java.util.List;
import java.util.Optional;

/**
 * The result of matching one answer (or one expiry pass) against a phone's challenges: the outcome
 * to report (absent for an expiry pass or STOP), the next state, and the challenges it closes.
 */
public record Decision(Optional<Outcome> outcome, PhoneChallenges next, List<Closure> closures) {

  public Decision {
    closures = List.copyOf(closures);
  }

  public static Decision answered(Outcome outcome, PhoneChallenges next, List<Closure> closures) {
    return new Decision(Optional.of(outcome), next, closures);
  }

  public static Decision silent(PhoneChallenges next, List<Closure> closures) {
    return new Decision(Optional.empty(), next, closures);
  }
}
