package io.optin.replies.parse;

import io.optin.avro.ReplyIntent;
import java.util.Objects;
import java.util.Optional;

/**
 * What an inbound SMS means; {@code code} holds the typed digits (ASCII) exactly when the intent is
 * {@code CODE}. The code must be hashed before it leaves the process, so {@link #toString} hides
 * it.
 */
public record ParsedReply(ReplyIntent intent, Optional<String> code) {

  public ParsedReply {
    Objects.requireNonNull(intent, "intent");
    Objects.requireNonNull(code, "code");
    if (code.isPresent() != (intent == ReplyIntent.CODE)) {
      throw new IllegalArgumentException(
          "a code goes with intent CODE and only with it, got " + intent);
    }
  }

  public static ParsedReply of(ReplyIntent intent) {
    return new ParsedReply(intent, Optional.empty());
  }

  public static ParsedReply code(String digits) {
    return new ParsedReply(ReplyIntent.CODE, Optional.of(digits));
  }

  @Override
  public String toString() {
    return "ParsedReply[intent=" + intent + (code.isPresent() ? ", code=<redacted>]" : "]");
  }
}
