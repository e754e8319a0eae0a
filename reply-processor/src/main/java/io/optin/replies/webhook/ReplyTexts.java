package io.optin.replies.webhook;

/**
 * What the inbound webhook texts back (TwiML), per situation. Defaults are short, CTIA-style
 * English; a deployment can give its own.
 */
public record ReplyTexts(
    String help,
    String stop,
    String start,
    String confirmed,
    String expired,
    String wrongCode,
    String locked) {

  public static ReplyTexts defaults() {
    return new ReplyTexts(
        "Reply YES or the code you received to confirm your subscription. Reply STOP to opt out. "
            + "Msg & data rates may apply.",
        "You are unsubscribed and will receive no more messages. Reply START to resubscribe.",
        "You can receive messages again. Sign up again to subscribe.",
        "You're confirmed! Thanks for subscribing. Reply STOP to opt out, HELP for help.",
        "This code has expired. Please sign up again to get a new code.",
        "That code is not right. You have %d attempt(s) left.",
        "Too many wrong codes. Please sign up again to get a new code.");
  }

  /** The wrong-code text with the attempts left filled in. */
  public String wrongCode(int attemptsLeft) {
    return String.format(wrongCode, attemptsLeft);
  }
}
