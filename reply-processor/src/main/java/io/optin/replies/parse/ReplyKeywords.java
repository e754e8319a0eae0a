package io.optin.replies.parse;

import io.optin.avro.ReplyIntent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The keywords a reply is matched against: the defaults of docs/replies.md for every program, plus
 * additions per program and/or locale. When a word belongs to two intents, opting out wins, then
 * START, then HELP, then CONFIRM: a STOP must never be read as consent.
 *
 * <p>Defaults. STOP: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT / OPT OUT (CTIA
 * and Twilio's list), ARRET / ARRÊT. START: START, UNSTOP. HELP: HELP, INFO and the words our
 * French, Spanish and German templates advertise: AIDE, AYUDA, HILFE. CONFIRM: YES, Y, YEA, YEAH,
 * YEP, YUP, OUI, SI / SÍ, JA, SIM, CONFIRM, CONFIRMER, CONFIRMAR, BESTÄTIGEN. Deliberately not
 * CONFIRM: OK, which often just acknowledges a message; a program that wants it adds it.
 *
 * <p>Twilio's own default opt-out handling treats YES as an opt-in (START) keyword; here YES
 * confirms.
 *
 * <p>Settings form, see {@link #fromSettings}: {@code
 * replies.keywords.<intent>.<programId|*>.<locale|*>} = comma-separated words, e.g. {@code
 * replies.keywords.confirm.*.fr=D'ACCORD}. A locale such as {@code fr} also covers {@code fr-CA}.
 * Immutable.
 */
public final class ReplyKeywords {

  public static final String SETTINGS_PREFIX = "replies.keywords.";
  private static final String ANY = "*";

  /** Precedence order: the first intent a word belongs to is its meaning. */
  private static final List<ReplyIntent> PRECEDENCE =
      List.of(ReplyIntent.STOP, ReplyIntent.START, ReplyIntent.HELP, ReplyIntent.CONFIRM);

  private static final List<Addition> DEFAULTS =
      List.of(
          new Addition(
              ReplyIntent.STOP,
              ANY,
              ANY,
              words(
                  "STOP",
                  "STOPALL",
                  "UNSUBSCRIBE",
                  "CANCEL",
                  "END",
                  "QUIT",
                  "REVOKE",
                  "OPTOUT",
                  "OPT OUT",
                  "ARRET",
                  "ARRÊT")),
          new Addition(ReplyIntent.START, ANY, ANY, words("START", "UNSTOP")),
          new Addition(ReplyIntent.HELP, ANY, ANY, words("HELP", "INFO", "AIDE", "AYUDA", "HILFE")),
          new Addition(
              ReplyIntent.CONFIRM,
              ANY,
              ANY,
              words(
                  "YES",
                  "Y",
                  "YEA",
                  "YEAH",
                  "YEP",
                  "YUP",
                  "OUI",
                  "SI",
                  "SÍ",
                  "JA",
                  "SIM",
                  "CONFIRM",
                  "CONFIRMER",
                  "CONFIRMAR",
                  "BESTÄTIGEN")));

  private final List<Addition> entries;

  private ReplyKeywords(List<Addition> entries) {
    this.entries = List.copyOf(entries);
  }

  /** The defaults of docs/replies.md, for every program and locale. */
  public static ReplyKeywords defaults() {
    return new ReplyKeywords(DEFAULTS);
  }

  /**
   * The defaults plus the additions found in settings under {@value #SETTINGS_PREFIX}; other keys
   * are ignored. A malformed key or an empty or all-digit word stops with a message naming the key.
   */
  public static ReplyKeywords fromSettings(Map<String, String> settings) {
    ReplyKeywords keywords = defaults();
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      String key = setting.getKey();
      if (!key.startsWith(SETTINGS_PREFIX)) {
        continue;
      }
      String[] parts = key.substring(SETTINGS_PREFIX.length()).split("\\.");
      if (parts.length < 3) {
        throw new IllegalArgumentException(
            key
                + ": expected "
                + SETTINGS_PREFIX
                + "<confirm|stop|start|help>.<programId|*>.<locale|*>");
      }
      ReplyIntent intent = intentNamed(parts[0], key);
      String program = String.join(".", Arrays.asList(parts).subList(1, parts.length - 1));
      String locale = parts[parts.length - 1];
      List<String> words = Arrays.stream(setting.getValue().split(",")).map(String::strip).toList();
      try {
        keywords = keywords.with(intent, program, locale, words);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
      }
    }
    return keywords;
  }

  /**
   * These keywords plus {@code words} for {@code intent} (CONFIRM, STOP, START or HELP), limited to
   * one program and/or locale; {@code null} or {@code *} means any.
   */
  public ReplyKeywords with(
      ReplyIntent intent, String programId, String locale, Collection<String> words) {
    if (!PRECEDENCE.contains(intent)) {
      throw new IllegalArgumentException(
          "keywords can be added for " + PRECEDENCE + ", not " + intent);
    }
    Set<String> canonical = new LinkedHashSet<>();
    for (String word : words) {
      String form = ReplyText.canonical(word);
      if (form.isEmpty() || ReplyText.isDigits(form)) {
        throw new IllegalArgumentException(
            "keyword \"" + word + "\" is empty or all digits (digits are codes)");
      }
      canonical.add(form);
    }
    List<Addition> more = new ArrayList<>(entries);
    more.add(new Addition(intent, scope(programId), localeScope(locale), canonical));
    return new ReplyKeywords(more);
  }

  /**
   * What a canonical reply means for this program and locale, by precedence; empty if no keyword.
   */
  Optional<ReplyIntent> intentOf(String canonicalReply, String programId, String locale) {
    Set<ReplyIntent> found = EnumSet.noneOf(ReplyIntent.class);
    for (Addition entry : entries) {
      if (entry.words().contains(canonicalReply) && entry.appliesTo(programId, locale)) {
        found.add(entry.intent());
      }
    }
    return PRECEDENCE.stream().filter(found::contains).findFirst();
  }

  /** The intent that wins among several a reply holds (STOP, then START, HELP, CONFIRM). */
  static Optional<ReplyIntent> strongest(Set<ReplyIntent> intents) {
    return PRECEDENCE.stream().filter(intents::contains).findFirst();
  }

  /**
   * As {@link #intentOf}, a letter repeated read once on both sides: "YESSS" and "STOPP" are YES
   * and STOP.
   */
  Optional<ReplyIntent> intentOfLoosely(String canonicalReply, String programId, String locale) {
    String squeezed = ReplyText.squeezed(canonicalReply);
    Set<ReplyIntent> found = EnumSet.noneOf(ReplyIntent.class);
    for (Addition entry : entries) {
      if (entry.appliesTo(programId, locale)
          && entry.words().stream().anyMatch(w -> ReplyText.squeezed(w).equals(squeezed))) {
        found.add(entry.intent());
      }
    }
    return PRECEDENCE.stream().filter(found::contains).findFirst();
  }

  /**
   * The canonical words that mean {@code intent} for this program and locale (for help texts,
   * docs).
   */
  public Set<String> words(ReplyIntent intent, String programId, String locale) {
    return entries.stream()
        .filter(entry -> entry.intent() == intent && entry.appliesTo(programId, locale))
        .flatMap(entry -> entry.words().stream())
        .filter(word -> intentOf(word, programId, locale).orElse(null) == intent)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static Set<String> words(String... words) {
    return Arrays.stream(words).map(ReplyText::canonical).collect(Collectors.toUnmodifiableSet());
  }

  private static ReplyIntent intentNamed(String name, String key) {
    return PRECEDENCE.stream()
        .filter(intent -> intent.name().equalsIgnoreCase(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    key
                        + ": unknown reply intent \""
                        + name
                        + "\", expected confirm, stop, start or help"));
  }

  private static String scope(String value) {
    return value == null || value.isBlank() ? ANY : value.strip();
  }

  /** A BCP 47 tag in lower case ("fr-ca"); {@code fr_CA} is read as {@code fr-CA}. */
  static String localeScope(String locale) {
    String scope = scope(locale);
    return ANY.equals(scope)
        ? ANY
        : Locale.forLanguageTag(scope.replace('_', '-')).toLanguageTag().toLowerCase(Locale.ROOT);
  }

  private record Addition(ReplyIntent intent, String program, String locale, Set<String> words) {

    boolean appliesTo(String programId, String requestLocale) {
      return matchesProgram(programId) && matchesLocale(requestLocale);
    }

    private boolean matchesProgram(String programId) {
      return ANY.equals(program) || program.equals(programId);
    }

    private boolean matchesLocale(String requestLocale) {
      if (ANY.equals(locale)) {
        return true;
      }
      if (requestLocale == null || requestLocale.isBlank()) {
        return false;
      }
      String tag = localeScope(requestLocale);
      return tag.equals(locale) || tag.startsWith(locale + "-");
    }
  }
}
