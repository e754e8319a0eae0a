package io.optin.replies.matching;

import java.util.Objects;

/**
 * What a reply or code attempt achieved, as the HTTP side reads it back by message sid or attempt
 * id. Its text form ({@code CONFIRMED}, {@code WRONG_CODE:3}, ...) is what the {@code
 * reply-outcomes} store holds.
 */
public record Outcome(Kind kind, int attemptsLeft) {

  /** The possible results of one answer. */
  public enum Kind {
    /** This answer confirmed a challenge. */
    CONFIRMED,
    /** The challenge had already been confirmed by an earlier answer; nothing new happened. */
    ALREADY_CONFIRMED,
    /** The window had passed; nothing was confirmed. */
    EXPIRED,
    /** The code was wrong; {@link #attemptsLeft} more tries before the challenge locks. */
    WRONG_CODE,
    /** Too many wrong codes: the challenge is closed and no code confirms it any more. */
    LOCKED,
    /** No challenge (open or recently closed) this answer could refer to. */
    NO_CHALLENGE
  }

  public static final Outcome CONFIRMED = new Outcome(Kind.CONFIRMED, 0);
  public static final Outcome ALREADY_CONFIRMED = new Outcome(Kind.ALREADY_CONFIRMED, 0);
  public static final Outcome EXPIRED = new Outcome(Kind.EXPIRED, 0);
  public static final Outcome LOCKED = new Outcome(Kind.LOCKED, 0);
  public static final Outcome NO_CHALLENGE = new Outcome(Kind.NO_CHALLENGE, 0);

  public Outcome {
    Objects.requireNonNull(kind, "kind");
  }

  public static Outcome wrongCode(int attemptsLeft) {
    return new Outcome(Kind.WRONG_CODE, attemptsLeft);
  }

  /** The store text: the kind, with {@code :<attempts left>} for a wrong code. */
  public String text() {
    return kind == Kind.WRONG_CODE ? kind.name() + ":" + attemptsLeft : kind.name();
  }

  /** Reads {@link #text()} back. */
  public static Outcome parse(String text) {
    int colon = text.indexOf(':');
    Kind kind = Kind.valueOf(colon < 0 ? text : text.substring(0, colon));
    return new Outcome(kind, colon < 0 ? 0 : Integer.parseInt(text.substring(colon + 1)));
  }

  @Override
  public String toString() {
    return text();
  }
}
