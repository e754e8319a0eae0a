package io.optin.ingest;

import io.optin.avro.SignupRequested;
import java.time.Instant;
import java.util.Objects;

/**
 * A signup whose presence in {@code optin.signup-requests.v1} is in doubt, as the {@link SignupLog}
 * looks for it.
 *
 * @param phone its key, so its partition
 * @param signupId what tells it from the phone's other signups
 * @param occurredAt about when it was made: the log is read from a minute before
 * @param lastSentAt the latest its producer may have sent it: the log is read only once the produce
 *     requests sent by then have timed out, so what it shows then stays
 */
public record SoughtSignup(String phone, String signupId, Instant occurredAt, Instant lastSentAt) {

  public SoughtSignup {
    Objects.requireNonNull(phone, "phone");
    Objects.requireNonNull(signupId, "signupId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(lastSentAt, "lastSentAt");
  }

  /** {@code signup}, last sent at {@code lastSentAt}. */
  public static SoughtSignup of(SignupRequested signup, Instant lastSentAt) {
    return new SoughtSignup(
        signup.getPhone(), signup.getSignupId(), signup.getOccurredAt(), lastSentAt);
  }
}
