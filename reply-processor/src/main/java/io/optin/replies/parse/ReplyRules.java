package io.optin.replies.parse;

import io.optin.avro.ReplyIntent;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The one table of rules {@link ReplyParser} applies to a reply, in order, the first that matches
 * deciding (docs/replies.md#how-a-reply-is-read). Phrases are written here as people type them and
 * compared in the parser's word form ({@link ReplyText#words}): lower case, no accents, no
 * apostrophes ("don't" is "dont", "m'envoyez" is "menvoyez"), punctuation and emoji as spaces,
 * repeated letters as one ("yesss", "stopp" and "pleeease" read "yes", "stop", "please"), and match
 * whole words anywhere in the reply. Opt-out phrases apply whatever the signup's locale.
 *
 * <p>Guiding rule: revocation must be honoured by any reasonable means, so a clear opt-out wins
 * over everything else in the same reply (a yes included); a reply that only looks like a refusal
 * is REVIEW, which changes nothing but is recorded, counted and findable; consent is only read from
 * a reply that says yes and nothing but courtesy around it.
 */
public final class ReplyRules {

  /** What a rule looks at, in the order the parser applies them. */
  public enum Step {
    /** Nothing left after normalisation: OTHER. */
    EMPTY,
    /** Only digits: a CODE of the code's length, else OTHER. */
    DIGITS,
    /**
     * The whole reply is one keyword of {@link ReplyKeywords} (program and locale additions too).
     */
    KEYWORD,
    /**
     * An idiom that uses "stop" without opting out: OTHER, or REVIEW when an opt-out phrase is
     * there too (mixed signals go to a person).
     */
    NOT_OPT_OUT,
    /** An opt-out phrase anywhere: STOP. */
    OPT_OUT_PHRASE,
    /** An unambiguous opt-out word anywhere (STOP, UNSUBSCRIBE...): STOP, even next to a yes. */
    OPT_OUT_WORD,
    /** One code of the code's length with only code words and courtesy around it: CODE. */
    CODE_IN_WORDS,
    /**
     * Keywords with only courtesy around them ("Yes please", "oui merci"): the keyword's intent.
     */
    KEYWORD_WITH_WORDS,
    /** A refusal or doubt that is not sure to be an opt-out: REVIEW. */
    REVIEW,
    /** Anything else: OTHER. */
    OTHER
  }

  /**
   * One row of the table.
   *
   * @param id the rule's name, in metrics ({@code rule} label) and ledger details
   * @param step what the rule looks at
   * @param intent what a match means (null: the matched keyword's intent)
   * @param language {@code en}, {@code fr}, {@code es}, {@code de} or {@code *}
   * @param phrases the words or phrases of the rule, as typed
   */
  public record Rule(
      String id, Step step, ReplyIntent intent, String language, List<String> phrases) {

    public Rule {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(step, "step");
      phrases = List.copyOf(phrases);
    }
  }

  /** The table, in the order it is applied. */
  public static final List<Rule> TABLE =
      List.of(
          rule("empty", Step.EMPTY, ReplyIntent.OTHER, "*"),
          rule("code", Step.DIGITS, ReplyIntent.CODE, "*"),
          rule("keyword", Step.KEYWORD, null, "*"),
          // Each of these contains "stop" and does not ask to stop the messages.
          rule(
              "not-optout:en",
              Step.NOT_OPT_OUT,
              ReplyIntent.OTHER,
              "en",
              "don't stop",
              "do not stop",
              "never stop",
              "can't stop",
              "cannot stop",
              "couldn't stop",
              "non-stop",
              "stop by",
              "stop over",
              "stop off",
              "bus stop",
              "next stop",
              "last stop",
              "pit stop",
              "one stop",
              "stop sign"),
          rule(
              "not-optout:fr",
              Step.NOT_OPT_OUT,
              ReplyIntent.OTHER,
              "fr",
              "sans arrêt",
              "n'arrêtez pas",
              "n'arrête pas"),
          rule("not-optout:es", Step.NOT_OPT_OUT, ReplyIntent.OTHER, "es", "sin parar", "no pares"),
          rule(
              "not-optout:de",
              Step.NOT_OPT_OUT,
              ReplyIntent.OTHER,
              "de",
              "hör nicht auf",
              "hört nicht auf",
              "nicht aufhören"),
          rule(
              "optout-phrase:en",
              Step.OPT_OUT_PHRASE,
              ReplyIntent.STOP,
              "en",
              "stop texting",
              "stop txting",
              "stop messaging",
              "stop sending",
              "stop contacting",
              "stop calling",
              "stop spamming",
              "stop the texts",
              "stop these texts",
              "stop the messages",
              "stop these messages",
              "quit texting",
              "quit messaging",
              "unsubscribe me",
              "remove me",
              "remove my number",
              "take me off",
              "take my number off",
              "delete my number",
              "lose my number",
              "opt me out",
              "wrong number",
              "wrong person",
              "not my number",
              "don't text",
              "dont txt",
              "do not text",
              "don't message",
              "do not message",
              "don't contact",
              "do not contact",
              "don't call",
              "do not call",
              "don't send",
              "do not send",
              "never text",
              "never contact",
              "no more texts",
              "no more messages",
              "no more sms",
              "leave me alone",
              "go away",
              "fuck off",
              "piss off",
              "cancel my subscription",
              "cancel subscription",
              "end my subscription",
              "i want out",
              "never signed up",
              "didn't sign up",
              "did not sign up"),
          rule(
              "optout-phrase:fr",
              Step.OPT_OUT_PHRASE,
              ReplyIntent.STOP,
              "fr",
              "arrête",
              "arrêtez",
              "arrêter",
              "désabonner",
              "désabonnez",
              "désabonne",
              "désabonnement",
              "désinscrire",
              "désinscrivez",
              "désinscription",
              "ne plus recevoir",
              "plus recevoir",
              "plus de sms",
              "plus de messages",
              "ne m'écrivez plus",
              "ne m'envoyez plus",
              "ne me contactez plus",
              "ne plus me contacter",
              "retirez-moi",
              "retirez mon numéro",
              "supprimez mon numéro",
              "supprimer mon numéro",
              "mauvais numéro",
              "faux numéro",
              "pas mon numéro",
              "laissez-moi tranquille",
              "laisse-moi tranquille",
              "fichez-moi la paix",
              "foutez-moi la paix",
              "résilier"),
          rule(
              "optout-phrase:es",
              Step.OPT_OUT_PHRASE,
              ReplyIntent.STOP,
              "es",
              "no más",
              "no me escriban",
              "no me escribas",
              "no me escriba",
              "no me manden",
              "no me envíen",
              "no me contacten",
              "no me molesten",
              "dejen de escribir",
              "deja de escribir",
              "dejen de enviar",
              "dejen de enviarme",
              "deja de enviarme",
              "dejen de escribirme",
              "deja de escribirme",
              "deja de enviar",
              "de baja",
              "cancelar suscripción",
              "cancelar mi suscripción",
              "número equivocado",
              "no es mi número",
              "borren mi número",
              "eliminar mi número",
              "sáquenme de la lista",
              "quítenme de la lista",
              "déjenme en paz",
              "déjame en paz",
              "ya no quiero",
              "basta ya"),
          rule(
              "optout-phrase:de",
              Step.OPT_OUT_PHRASE,
              ReplyIntent.STOP,
              "de",
              "abmelden",
              "abmeldung",
              "abbestellen",
              "austragen",
              "trag mich aus",
              "tragen sie mich aus",
              "keine sms mehr",
              "keine nachrichten mehr",
              "nicht mehr schreiben",
              "schreiben sie mir nicht mehr",
              "schreib mir nicht mehr",
              "nicht mehr kontaktieren",
              "kontaktieren sie mich nicht",
              "falsche nummer",
              "nicht meine nummer",
              "löschen sie meine nummer",
              "meine nummer löschen",
              "lass mich in ruhe",
              "lassen sie mich in ruhe",
              "kündigen"),
          rule(
              "optout-word",
              Step.OPT_OUT_WORD,
              ReplyIntent.STOP,
              "*",
              "stop",
              "stopall",
              "unsubscribe",
              "optout",
              "opt out",
              "opt-out"),
          // Words that may stand around a code: "my code is 123456", "code: 123 456".
          rule(
              "code-in-words",
              Step.CODE_IN_WORDS,
              ReplyIntent.CODE,
              "*",
              "code",
              "my code",
              "the code",
              "is",
              "it's",
              "here",
              "here is",
              "mon code",
              "le code",
              "c'est",
              "est",
              "voici",
              "código",
              "mi código",
              "el código",
              "es",
              "mein code",
              "der code",
              "ist",
              "hier"),
          // The courtesy that may stand around a keyword: "Yes please", "oui merci", "STOP now".
          rule(
              "keyword-with-words:en",
              Step.KEYWORD_WITH_WORDS,
              null,
              "en",
              "please",
              "pls",
              "plz",
              "thanks",
              "thank you",
              "thx",
              "ty",
              "ok",
              "okay",
              "sure",
              "of course",
              "absolutely",
              "definitely",
              "i do",
              "i confirm",
              "confirmed",
              "now",
              "right now",
              "asap",
              "it",
              "all",
              "me"),
          rule(
              "keyword-with-words:fr",
              Step.KEYWORD_WITH_WORDS,
              null,
              "fr",
              "merci",
              "merci beaucoup",
              "svp",
              "stp",
              "s'il vous plaît",
              "s'il te plaît",
              "bien sûr",
              "d'accord",
              "volontiers",
              "avec plaisir",
              "je confirme",
              "maintenant"),
          rule(
              "keyword-with-words:es",
              Step.KEYWORD_WITH_WORDS,
              null,
              "es",
              "por favor",
              "porfa",
              "gracias",
              "muchas gracias",
              "claro",
              "vale",
              "por supuesto",
              "confirmo",
              "ya"),
          rule(
              "keyword-with-words:de",
              Step.KEYWORD_WITH_WORDS,
              null,
              "de",
              "bitte",
              "danke",
              "danke schön",
              "vielen dank",
              "gerne",
              "gern",
              "klar",
              "natürlich",
              "ich bestätige",
              "jetzt",
              "sofort"),
          rule(
              "review:en",
              Step.REVIEW,
              ReplyIntent.REVIEW,
              "en",
              "no",
              "n",
              "nope",
              "nah",
              "not interested",
              "not now",
              "never",
              "who is this",
              "who's this",
              "who are you",
              "what is this",
              "didn't ask",
              "spam",
              "scam",
              "fraud",
              "fuck",
              "fuck you",
              "wtf",
              "shit",
              "idiot",
              "asshole"),
          rule(
              "review:fr",
              Step.REVIEW,
              ReplyIntent.REVIEW,
              "fr",
              "non",
              "pas intéressé",
              "pas intéressée",
              "ça ne m'intéresse pas",
              "jamais",
              "qui est-ce",
              "qui êtes-vous",
              "c'est qui",
              "arnaque",
              "merde",
              "connard",
              "putain"),
          rule(
              "review:es",
              Step.REVIEW,
              ReplyIntent.REVIEW,
              "es",
              "no gracias",
              "no me interesa",
              "nunca",
              "quién es",
              "quién eres",
              "quién habla",
              "estafa",
              "mierda",
              "idiota"),
          rule(
              "review:de",
              Step.REVIEW,
              ReplyIntent.REVIEW,
              "de",
              "nein",
              "nee",
              "kein interesse",
              "niemals",
              "wer ist das",
              "wer sind sie",
              "betrug",
              "scheiße",
              "arschloch"),
          rule("other", Step.OTHER, ReplyIntent.OTHER, "*"));

  private ReplyRules() {}

  /** The rows of one step, in table order. */
  public static List<Rule> of(Step step) {
    return TABLE.stream().filter(rule -> rule.step() == step).toList();
  }

  /** The single rule of a step that has one row. */
  static Rule only(Step step) {
    List<Rule> rows = of(step);
    if (rows.size() != 1) {
      throw new IllegalStateException(step + " has " + rows.size() + " rows");
    }
    return rows.get(0);
  }

  private static Rule rule(
      String id, Step step, ReplyIntent intent, String language, String... phrases) {
    return new Rule(id, step, intent, language, Arrays.asList(phrases));
  }
}
