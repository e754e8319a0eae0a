package io.optin.replies.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.optin.domain.screening.ControlCharacters;
import java.util.regex.Pattern;

/**
 * A code typed on a site, as {@code POST /v1/verifications} accepts it: phone in E.164, a program
 * id, and a code of exactly the configured number of digits (spaces and dashes ignored); no field
 * holds a control character (a program id not even a tab or line break). {@link #toString} hides
 * the code.
 */
record VerificationRequest(String phone, String programId, String code) {

  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final int MAX_PROGRAM_ID_LENGTH = 200;

  /** A request refused before anything is recorded, naming the field to blame. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;
    private final String field;

    Invalid(String field, String reason) {
      super(reason);
      this.field = field;
    }

    String field() {
      return field;
    }
  }

  static VerificationRequest parse(JsonNode body, int codeLength) throws Invalid {
    String phone = required(body, "phone");
    if (!E164.matcher(phone).matches()) {
      throw new Invalid("phone", "phone must be in E.164 format, e.g. +14155550100");
    }
    String programId = required(body, "programId");
    if (!ControlCharacters.isCleanLine(programId)) {
      throw new Invalid("programId", "programId contains control characters");
    }
    if (programId.length() > MAX_PROGRAM_ID_LENGTH) {
      throw new Invalid(
          "programId", "programId is longer than " + MAX_PROGRAM_ID_LENGTH + " characters");
    }
    String code = required(body, "code").replaceAll("[\\s-]", "");
    // A malformed code is refused without counting as an attempt: it cannot be anyone's code.
    if (code.length() != codeLength || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new Invalid("code", "code must be " + codeLength + " digits");
    }
    return new VerificationRequest(phone, programId, code);
  }

  private static String required(JsonNode body, String field) throws Invalid {
    JsonNode value = body.get(field);
    if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
      throw new Invalid(field, field + " is required");
    }
    if (!value.isTextual()) {
      throw new Invalid(field, field + " must be a string");
    }
    if (!ControlCharacters.isClean(value.textValue())) {
      throw new Invalid(field, field + " contains control characters");
    }
    return value.asText().trim();
  }

  @Override
  public String toString() {
    return "VerificationRequest[phone=" + phone + ", programId=" + programId + ", code=<redacted>]";
  }
}
