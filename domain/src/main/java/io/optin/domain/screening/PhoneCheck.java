package io.optin.domain.screening;

import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import java.util.Objects;

/** The outcome of normalising a submitted phone: a number we can text, or the reason we cannot. */
public sealed interface PhoneCheck {

  /** A number that can receive the confirmation SMS. */
  record Valid(String e164, String regionCode, PhoneNumberType numberType) implements PhoneCheck {
    public Valid {
      Objects.requireNonNull(e164, "e164");
      Objects.requireNonNull(regionCode, "regionCode");
      Objects.requireNonNull(numberType, "numberType");
    }
  }

  /**
   * A refused input: {@code reason} is a sentence for the API caller and the dead-letter record;
   * {@code field} is the request field at fault ({@code phone} or {@code country}).
   */
  record Invalid(String reason, String field) implements PhoneCheck {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(field, "field");
    }
  }

  default boolean isValid() {
    return this instanceof Valid;
  }
}
