package io.optin.replies.parse;

import io.optin.avro.ReplyIntent;
import io.optin.domain.otp.OtpCodes;
import io.optin.replies.parse.ReplyRules.Rule;
import io.optin.replies.parse.ReplyRules.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Classifies an inbound SMS body by the rules of {@link ReplyRules}, in their order, the first that
 * matches deciding (docs/replies.md#how-a-reply-is-read): empty, a code, a whole-reply keyword, an
 * idiom that uses "stop" without opting out, an opt-out phrase (en, fr, es, de, whatever the
 * locale), an opt-out word anywhere, a code among code words, keywords with only courtesy around
 * them ("Yes please"), a refusal to review, else OTHER. An opt-out wins over a yes in the same
 * reply; consent is read only from a yes with nothing but courtesy around it.
 */
public final class ReplyParser {

  /**
   * What a reply means, and the id of the rule of {@link ReplyRules} that decided it (for metrics
   * and the ledger; never personal data).
   */
  public record Reading(ParsedReply reply, String rule) {

    public Reading {
      Objects.requireNonNull(reply, "reply");
      Objects.requireNonNull(rule, "rule");
    }

    public ReplyIntent intent() {
      return reply.intent();
    }
  }

  /** A rule with its phrases in word form, longest first (so "thank you" beats "thank"). */
  private record Compiled(Rule rule, List<List<String>> phrases) {

    static Compiled of(Rule rule) {
      List<List<String>> phrases = new ArrayList<>();
      for (String phrase : rule.phrases()) {
        List<String> words = ReplyText.words(phrase);
        if (words.isEmpty()) {
          throw new IllegalStateException(rule.id() + ": phrase \"" + phrase + "\" has no word");
        }
        phrases.add(words);
      }
      phrases.sort(Comparator.comparingInt((List<String> p) -> p.size()).reversed());
      return new Compiled(rule, List.copyOf(phrases));
    }

    boolean foundIn(List<String> words) {
      return phrases.stream().anyMatch(phrase -> Collections.indexOfSubList(words, phrase) >= 0);
    }
  }

  private static final String MIXED = "mixed:";

  private final ReplyKeywords keywords;
  private final int codeLength;
  private final List<Compiled> notOptOut = compile(Step.NOT_OPT_OUT);
  private final List<Compiled> optOutPhrases = compile(Step.OPT_OUT_PHRASE);
  private final Compiled optOutWords = Compiled.of(ReplyRules.only(Step.OPT_OUT_WORD));
  private final Compiled codeWords = Compiled.of(ReplyRules.only(Step.CODE_IN_WORDS));
  private final List<List<String>> courtesy = phrasesOf(compile(Step.KEYWORD_WITH_WORDS));
  private final List<Compiled> review = compile(Step.REVIEW);

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
    return read(body, null, null).reply();
  }

  /** Classifies with the keywords of this program and locale too (either may be null). */
  public ParsedReply parse(String body, String programId, String locale) {
    return read(body, programId, locale).reply();
  }

  /** As {@link #parse(String)}, with the rule that decided. */
  public Reading read(String body) {
    return read(body, null, null);
  }

  /** As {@link #parse(String, String, String)}, with the rule that decided. */
  public Reading read(String body, String programId, String locale) {
    String canonical = ReplyText.canonical(body);
    if (canonical.isEmpty()) {
      return reading(ReplyIntent.OTHER, "empty");
    }
    if (ReplyText.isDigits(canonical)) {
      return canonical.length() == codeLength
          ? new Reading(ParsedReply.code(ReplyText.asciiDigits(canonical)), "code")
          : reading(ReplyIntent.OTHER, "code");
    }
    Optional<ReplyIntent> keyword =
        keywords
            .intentOf(canonical, programId, locale)
            .or(() -> keywords.intentOfLoosely(canonical, programId, locale));
    if (keyword.isPresent()) {
      return reading(keyword.get(), "keyword");
    }
    List<String> words = ReplyText.words(body);
    for (Compiled idiom : notOptOut) {
      if (idiom.foundIn(words)) {
        List<String> rest = withoutIdioms(words);
        return optOut(rest).isPresent()
            ? reading(ReplyIntent.REVIEW, MIXED + idiom.rule().language())
            : reading(ReplyIntent.OTHER, idiom.rule().id());
      }
    }
    Optional<String> optOut = optOut(words);
    if (optOut.isPresent()) {
      return reading(ReplyIntent.STOP, optOut.get());
    }
    Optional<String> code = codeAmongWords(words, programId, locale);
    if (code.isPresent()) {
      return new Reading(ParsedReply.code(code.get()), codeWords.rule().id());
    }
    Set<ReplyIntent> found = EnumSet.noneOf(ReplyIntent.class);
    if (consumed(words, courtesy, programId, locale, found) && !found.isEmpty()) {
      return reading(ReplyKeywords.strongest(found).orElseThrow(), "keyword-with-words");
    }
    for (Compiled refusal : review) {
      if (refusal.foundIn(words)) {
        return reading(ReplyIntent.REVIEW, refusal.rule().id());
      }
    }
    return reading(ReplyIntent.OTHER, "other");
  }

  /** The opt-out phrase or word rule that matches, if any. */
  private Optional<String> optOut(List<String> words) {
    for (Compiled phrase : optOutPhrases) {
      if (phrase.foundIn(words)) {
        return Optional.of(phrase.rule().id());
      }
    }
    return optOutWords.foundIn(words) ? Optional.of(optOutWords.rule().id()) : Optional.empty();
  }

  private List<String> withoutIdioms(List<String> words) {
    List<String> rest = new ArrayList<>(words);
    for (Compiled idiom : notOptOut) {
      for (List<String> phrase : idiom.phrases()) {
        int at;
        while ((at = Collections.indexOfSubList(rest, phrase)) >= 0) {
          rest.subList(at, at + phrase.size()).clear();
        }
      }
    }
    return rest;
  }

  /**
   * The one code of the code's length in words that are otherwise code words, courtesy or a yes
   * ("my code is 123 456", "123456 thanks"); digit words next to each other are one code.
   */
  private Optional<String> codeAmongWords(List<String> words, String programId, String locale) {
    List<String> groups = new ArrayList<>();
    List<List<String>> segments = new ArrayList<>();
    List<String> segment = new ArrayList<>();
    StringBuilder group = null;
    for (String word : words) {
      if (ReplyText.isDigits(word)) {
        if (group == null) {
          group = new StringBuilder();
          segments.add(segment);
          segment = new ArrayList<>();
        }
        group.append(word);
      } else {
        if (group != null) {
          groups.add(group.toString());
          group = null;
        }
        segment.add(word);
      }
    }
    if (group != null) {
      groups.add(group.toString());
    }
    segments.add(segment);
    if (groups.size() != 1 || groups.get(0).length() != codeLength) {
      return Optional.empty();
    }
    List<List<String>> allowed = new ArrayList<>(codeWords.phrases());
    allowed.addAll(courtesy);
    allowed.sort(Comparator.comparingInt((List<String> p) -> p.size()).reversed());
    Set<ReplyIntent> found = EnumSet.noneOf(ReplyIntent.class);
    for (List<String> part : segments) {
      if (!consumed(part, allowed, programId, locale, found)) {
        return Optional.empty();
      }
    }
    return found.isEmpty() || found.equals(EnumSet.of(ReplyIntent.CONFIRM))
        ? Optional.of(ReplyText.asciiDigits(groups.get(0)))
        : Optional.empty();
  }

  /**
   * Whether the words are only keywords (whose intents are added to {@code found}) and phrases of
   * {@code fillers} (longest first), read left to right.
   */
  private boolean consumed(
      List<String> words,
      List<List<String>> fillers,
      String programId,
      String locale,
      Set<ReplyIntent> found) {
    int at = 0;
    next:
    while (at < words.size()) {
      for (int span = Math.min(3, words.size() - at); span >= 1; span--) {
        String joined = String.join("", words.subList(at, at + span)).toUpperCase(Locale.ROOT);
        Optional<ReplyIntent> intent = keywords.intentOfLoosely(joined, programId, locale);
        if (intent.isPresent()) {
          found.add(intent.get());
          at += span;
          continue next;
        }
      }
      for (List<String> filler : fillers) {
        if (at + filler.size() <= words.size()
            && words.subList(at, at + filler.size()).equals(filler)) {
          at += filler.size();
          continue next;
        }
      }
      return false;
    }
    return true;
  }

  private static Reading reading(ReplyIntent intent, String rule) {
    return new Reading(ParsedReply.of(intent), rule);
  }

  private static List<Compiled> compile(Step step) {
    return ReplyRules.of(step).stream().map(Compiled::of).toList();
  }

  private static List<List<String>> phrasesOf(List<Compiled> rules) {
    List<List<String>> phrases = new ArrayList<>();
    rules.forEach(rule -> phrases.addAll(rule.phrases()));
    phrases.sort(Comparator.comparingInt((List<String> p) -> p.size()).reversed());
    return List.copyOf(phrases);
  }
}
