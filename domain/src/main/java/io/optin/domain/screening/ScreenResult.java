package io.optin.domain.screening;

import io.optin.avro.SignupRequested;
import java.util.Objects;

/**
 * The verdict of {@link SignupScreen}: the normalised signup, or the one field that made it
 * unacceptable.
 */
public sealed interface ScreenResult permits ScreenResult.Accepted, ScreenResult.Refused {

  static ScreenResult accepted(SignupRequested signup) {
    return new Accepted(signup);
  }

  static ScreenResult refused(String field, String reason) {
    return new Refused(field, reason);
  }

  /** True for {@link Accepted}. */
  default boolean isAccepted() {
    return this instanceof Accepted;
  }

  /**
   * A signup every rule accepted, normalised: phone in E.164, canonical locale and UUID, lower-case
   * hash, surrounding blanks trimmed (the consent text itself is kept verbatim).
   */
  record Accepted(SignupRequested signup) implements ScreenResult {
    public Accepted {
      Objects.requireNonNull(signup, "signup");
    }
  }

  /**
   * A signup refused by one rule.
   *
   * @param field the record path of the offending field, e.g. {@code phone} or {@code
   *     evidence.consentTextSha256}
   * @param reason a human-readable reason, free of the field's value when that value is personal
   *     data
   */
  record Refused(String field, String reason) implements ScreenResult {
    public Refused {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
