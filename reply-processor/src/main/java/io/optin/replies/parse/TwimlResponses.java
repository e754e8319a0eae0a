package io.optin.replies.parse;

/**
 * The TwiML documents the webhooks answer with: one reply message, or nothing to send (inbound
 * messages); a text said before hanging up, or a prompt gathering one key again (voice). Text is
 * XML-escaped, and characters XML 1.0 cannot carry are dropped, so any text yields a well-formed
 * document.
 */
public final class TwimlResponses {

  /** What to send as {@code Content-Type} with these documents. */
  public static final String CONTENT_TYPE = "application/xml; charset=utf-8";

  private static final String PROLOG = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

  private TwimlResponses() {}

  /** Answer the sender with one SMS. */
  public static String message(String text) {
    return PROLOG + "<Response><Message>" + escape(text) + "</Message></Response>";
  }

  /** Acknowledge without answering. */
  public static String empty() {
    return PROLOG + "<Response/>";
  }

  /** Say {@code text} in {@code language} (a BCP 47 tag Twilio knows), then hang up. */
  public static String sayThenHangUp(String language, String text) {
    return PROLOG + "<Response>" + say(language, text) + "<Hangup/></Response>";
  }

  /**
   * Gather one key again while saying {@code prompt}; without a key, say {@code goodbye} and hang
   * up. The {@code <Gather>} has no action: Twilio posts the key to the URL of this document, the
   * webhook that answered it.
   */
  public static String gatherAgain(String language, String prompt, String goodbye) {
    return PROLOG
        + "<Response><Gather numDigits=\"1\">"
        + say(language, prompt)
        + "</Gather>"
        + say(language, goodbye)
        + "<Hangup/></Response>";
  }

  private static String say(String language, String text) {
    return "<Say language=\"" + escape(language) + "\">" + escape(text) + "</Say>";
  }

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    text.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                  if (allowedInXml(c)) {
                    out.appendCodePoint(c);
                  }
                }
              }
            });
    return out.toString();
  }

  /** XML 1.0 Char production: tab, LF, CR and the planes minus surrogates and U+FFFE/FFFF. */
  private static boolean allowedInXml(int c) {
    return c == 0x9
        || c == 0xA
        || c == 0xD
        || (c >= 0x20 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);
  }
}
