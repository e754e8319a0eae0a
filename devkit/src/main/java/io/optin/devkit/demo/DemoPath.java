package io.optin.devkit.demo;

/**
 * The ways a synthetic subscriber goes through the double opt-in, each with the one outcome optin
 * must reach for it. {@link OutcomeJudge} describes what was observed in the same words, so a path
 * is right when the two texts agree.
 */
public enum DemoPath {
  REPLY_YES("reply YES", "confirmed once by YES"),
  REPLY_CODE("reply the code", "confirmed once by code reply"),
  ENTER_CODE("type the code", "confirmed once by code entry"),
  STOP("reply STOP", "closed REJECTED (opted out by STOP), new signup 409"),
  NO_ANSWER("never answer", "closed EXPIRED"),
  LATE_ANSWER("answer late", "late YES answered expired, closed EXPIRED"),
  REFUSED_AT_SIGNUP("invalid number", "400 at signup, reject recorded"),
  REFUSED_BY_CARRIER("number refused by carrier", "SMS failed (21211), closed EXPIRED"),
  /**
   * A landline: its SMS is reported undelivered (30006), the dispatcher falls back to a call
   * ({@code programs.demo-landline.fallback.channels} {@code sms,voice}), and the subscriber
   * presses 1 during it.
   */
  LANDLINE("landline, press 1", "SMS failed (30006), confirmed once by key 1 on call"),
  /**
   * An SMS filtered by the carrier (30007): the dispatcher falls back to WhatsApp ({@code
   * programs.demo-whatsapp.fallback.channels} {@code sms,whatsapp}), and the subscriber answers YES
   * there.
   */
  WHATSAPP("filtered, YES on WhatsApp", "SMS failed (30007), confirmed once by WhatsApp YES");

  private final String label;
  private final String expected;

  DemoPath(String label, String expected) {
    this.label = label;
    this.expected = expected;
  }

  /** What the subscriber does, as the summary names it. */
  public String label() {
    return label;
  }

  /** The outcome optin must reach, in {@link OutcomeJudge}'s words. */
  public String expected() {
    return expected;
  }

  /** Whether optin accepts the signup and sends a code that reaches the phone by SMS. */
  public boolean receivesCode() {
    return this != REFUSED_AT_SIGNUP
        && this != REFUSED_BY_CARRIER
        && this != LANDLINE
        && this != WHATSAPP;
  }
}
