package io.optin.dispatcher.challenge;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.SmsSendRequested;
import java.util.Objects;
import java.util.Optional;

/**
 * What one valid signup leads to: the phone's next state, exactly one challenge event (ISSUED,
 * RESENT or SUPPRESSED) and, unless suppressed, one command to send the code.
 */
public record SignupDecision(PhoneStanding state, ChallengeEvent event, SmsSendRequested command) {

  public SignupDecision {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(event, "event");
  }

  public Optional<SmsSendRequested> sms() {
    return Optional.ofNullable(command);
  }
}
