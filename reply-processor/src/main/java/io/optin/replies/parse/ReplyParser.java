package io.optin.replies.parse;

import io.optin.avro.ReplyIntent;
import io.optin.domain.otp.OtpCodes;

/**
 * Classifies an inbound SMS body (docs/replies.md): the whole body, with case, accents, punctuation
 * and spacing ignored, is a keyword (STOP, START, HELP or CONFIRM families), or exactly a code's
 * number of digits (spaces and dashes inside allowed: "123 456"), else OTHER. A keyword inside a
 * sentence ("yes please") is OTHER: consent and opt-out are taken only from an unambiguous reply.
 */
public final class ReplyParser {

  private final ReplyKeywords keywords;
  private final int codeLength;

  /**
   * The default keywords and codes of {@code codeLength} digits (4–10, setting {@code otp.length}).
   */
  public ReplyParser(int codeLength) {
    this(ReplyKeywords.defaults(), codeLength);
  }

  public ReplyParser(ReplyKeywords keywords, int codeLength) {
    this.keywords = keywords;
    this.codeLength = OtpCodes.checkLength(codeLength);
  }

  /**
   * Classifies with the keywords every program shares, for when the program is not known yet (the
   * inbound webhook, before the reply is joined with its challenge).
   */
  public ParsedReply parse(String body) {
    return parse(body, null, null);
  }

  /** Classifies with the keywords of this program and locale too (either may be null). */
  public ParsedReply parse(String body, String programId, String locale) {
    String canonical = ReplyText.canonical(body);
    if (canonical.isEmpty()) {
      return ParsedReply.of(ReplyIntent.OTHER);
    }
    if (ReplyText.isDigits(canonical)) {
      return canonical.length() == codeLength
          ? ParsedReply.code(ReplyText.asciiDigits(canonical))
          : ParsedReply.of(ReplyIntent.OTHER);
    }
    return keywords
        .intentOf(canonical, programId, locale)
        .map(ParsedReply::of)
        .orElseGet(() -> ParsedReply.of(ReplyIntent.OTHER));
  }
}
