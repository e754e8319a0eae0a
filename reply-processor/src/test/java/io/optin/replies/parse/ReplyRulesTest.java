package io.optin.replies.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ReplyIntent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real-looking replies, per language, and what the rule table makes of each. */
class ReplyRulesTest {

  private final ReplyParser parser = new ReplyParser(6);

  @ParameterizedTest(name = "[{index}] \"{0}\" -> {1} ({2})")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        // English opt-outs
        "Stop texting me | STOP | optout-phrase:en",
        "please STOP TEXTING ME!!! | STOP | optout-phrase:en",
        "stop sending me these | STOP | optout-phrase:en",
        "Unsubscribe me please | STOP | optout-phrase:en",
        "Please remove me from your list | STOP | optout-phrase:en",
        "remove my number | STOP | optout-phrase:en",
        "take me off this list | STOP | optout-phrase:en",
        "Wrong number | STOP | optout-phrase:en",
        "wrong # | OTHER | other",
        "who is this? wrong number | STOP | optout-phrase:en",
        "Don't text me again | STOP | optout-phrase:en",
        "dont text me | STOP | optout-phrase:en",
        "DO NOT CONTACT ME | STOP | optout-phrase:en",
        "do not call or text this number | STOP | optout-phrase:en",
        "Leave me alone 😡 | STOP | optout-phrase:en",
        "no more texts pls | STOP | optout-phrase:en",
        "I never signed up for this | STOP | optout-phrase:en",
        "I didn’t sign up | STOP | optout-phrase:en",
        "cancel my subscription | STOP | optout-phrase:en",
        "go away | STOP | optout-phrase:en",
        "they won't stop texting me | STOP | optout-phrase:en",
        // opt-out words anywhere, a keyword with courtesy
        "STOP please | STOP | optout-word",
        "please stop | STOP | optout-word",
        "Stop it now | STOP | optout-word",
        "STOP STOP STOP | STOP | optout-word",
        "stooop | STOP | keyword",
        "STOPP | STOP | keyword",
        "Stop!!! who is this | STOP | optout-word",
        "stop 🛑 | STOP | keyword",
        "STOP 123456 | STOP | optout-word",
        "yes but stop | STOP | optout-word",
        "Yes, stop | STOP | optout-word",
        "I want to opt out | STOP | optout-word",
        "unsubscribe!!! | STOP | keyword",
        "cancel please | STOP | keyword-with-words",
        "end it | STOP | keyword-with-words",
        // French
        "Arrête | STOP | optout-phrase:fr",
        "ARRETEZ de m'envoyer des sms | STOP | optout-phrase:fr",
        "arrêtez svp | STOP | optout-phrase:fr",
        "Je veux me désabonner | STOP | optout-phrase:fr",
        "désabonnez-moi | STOP | optout-phrase:fr",
        "je ne veux plus recevoir vos messages | STOP | optout-phrase:fr",
        "je veux recevoir vos messages | OTHER | other",
        "ne plus recevoir | STOP | optout-phrase:fr",
        "plus de SMS merci | STOP | optout-phrase:fr",
        "Ne m'envoyez plus rien | STOP | optout-phrase:fr",
        "mauvais numéro | STOP | optout-phrase:fr",
        "Laissez-moi tranquille ! | STOP | optout-phrase:fr",
        "STOP SVP | STOP | optout-word",
        "Arrêt | STOP | keyword",
        // Spanish
        "No más | STOP | optout-phrase:es",
        "NO MAS MENSAJES | STOP | optout-phrase:es",
        "no me escriban más | STOP | optout-phrase:es",
        "Quiero darme de baja | STOP | optout-phrase:es",
        "dar de baja por favor | STOP | optout-phrase:es",
        "número equivocado | STOP | optout-phrase:es",
        "dejen de enviarme mensajes | STOP | optout-phrase:es",
        "dejen de enviar mensajes | STOP | optout-phrase:es",
        "déjenme en paz | STOP | optout-phrase:es",
        "ya no quiero recibir nada | STOP | optout-phrase:es",
        // German
        "abmelden | STOP | optout-phrase:de",
        "Bitte abmelden! | STOP | optout-phrase:de",
        "Keine SMS mehr bitte | STOP | optout-phrase:de",
        "keine sms mehr!!! | STOP | optout-phrase:de",
        "Falsche Nummer | STOP | optout-phrase:de",
        "Lassen Sie mich in Ruhe | STOP | optout-phrase:de",
        "bitte löschen Sie meine Nummer | STOP | optout-phrase:de",
        "Stopp | STOP | keyword",
        "STOPP bitte | STOP | optout-word",
        // yes with words
        "Yes please | CONFIRM | keyword-with-words",
        "yes!! | CONFIRM | keyword",
        "YESSS | CONFIRM | keyword",
        "yesss please!! | CONFIRM | keyword-with-words",
        "YES 👍 | CONFIRM | keyword",
        "Yes 👍🏽 thank you | CONFIRM | keyword-with-words",
        "yes I confirm | CONFIRM | keyword-with-words",
        "Yes yes | CONFIRM | keyword-with-words",
        "ok yes | CONFIRM | keyword-with-words",
        "Yes, of course | CONFIRM | keyword-with-words",
        "oui merci | CONFIRM | keyword-with-words",
        "Oui, merci beaucoup ! | CONFIRM | keyword-with-words",
        "oui je confirme | CONFIRM | keyword-with-words",
        "OUI SVP | CONFIRM | keyword-with-words",
        "sí, gracias | CONFIRM | keyword-with-words",
        "Si por favor | CONFIRM | keyword-with-words",
        "SÍ claro | CONFIRM | keyword-with-words",
        "ja bitte | CONFIRM | keyword-with-words",
        "Ja, danke! | CONFIRM | keyword-with-words",
        "ja gerne | CONFIRM | keyword-with-words",
        "Yes who is this | REVIEW | review:en",
        "yes I want to know more | OTHER | other",
        "yes no | REVIEW | review:en",
        "ok thanks | OTHER | other",
        "👍 | OTHER | empty",
        // other keywords with courtesy
        "help please | HELP | keyword-with-words",
        "HELP me | HELP | keyword-with-words",
        "start please | START | keyword-with-words",
        // codes with words
        "my code is 123456 | CODE | code-in-words",
        "Code: 123 456 | CODE | code-in-words",
        "123456 thanks | CODE | code-in-words",
        "yes 123-456 | CODE | code-in-words",
        "mon code est 123456 | CODE | code-in-words",
        "el código es 123456 | CODE | code-in-words",
        "call me at 555 1234 | OTHER | other",
        "my code is 1234567 | OTHER | other",
        "12345 and 123456 | OTHER | other",
        // REVIEW: refusals and doubts
        "no | REVIEW | review:en",
        "No. | REVIEW | review:en",
        "N | REVIEW | review:en",
        "nope | REVIEW | review:en",
        "No thanks | REVIEW | review:en",
        "not interested | REVIEW | review:en",
        "Who is this? | REVIEW | review:en",
        "who's this | REVIEW | review:en",
        "spam | REVIEW | review:en",
        "SCAM!!! | REVIEW | review:en",
        "fuck you | REVIEW | review:en",
        "non | REVIEW | review:fr",
        "Non merci | REVIEW | review:fr",
        "ça ne m'intéresse pas | REVIEW | review:fr",
        "qui est-ce ? | REVIEW | review:fr",
        "no gracias | REVIEW | review:en",
        "no me interesa | REVIEW | review:en",
        "¿quién es? | REVIEW | review:es",
        "nein | REVIEW | review:de",
        "Nein danke | REVIEW | review:de",
        "kein Interesse | REVIEW | review:de",
        "wer ist das? | REVIEW | review:de",
        "Scheiße | REVIEW | review:de",
        // must NOT opt out
        "don't stop! | OTHER | not-optout:en",
        "Don’t stop!! | OTHER | not-optout:en",
        "stop by tomorrow? | OTHER | not-optout:en",
        "can't stop smiling | OTHER | not-optout:en",
        "non-stop deals? | OTHER | not-optout:en",
        "nonstop deals? | OTHER | other",
        "stopover in Paris | OTHER | other",
        "never stop sending me deals! | OTHER | not-optout:en",
        "n'arrêtez pas ! | OTHER | not-optout:fr",
        "don't stop, but who is this? stop texting me | REVIEW | mixed:en",
        "stop by tomorrow? actually unsubscribe | REVIEW | mixed:en",
        "OK | OTHER | other",
        "hello | OTHER | other",
        "Thanks! | OTHER | other",
        "Baja | OTHER | other",
        "la batería está baja | OTHER | other",
      })
  void shouldReadEachReplyByTheFirstRuleThatMatches(String body, ReplyIntent intent, String rule) {
    ReplyParser.Reading reading = parser.read(body);

    assertThat(reading.intent()).as("intent").isEqualTo(intent);
    assertThat(reading.rule()).as("rule").isEqualTo(rule);
  }

  @Test
  void shouldReadAnOptOutPhraseWhateverTheSignupLocale() {
    for (String locale : new String[] {null, "en", "fr-FR", "es-MX", "de", "it"}) {
      assertThat(parser.parse("no me escriban", "shop", locale).intent())
          .isEqualTo(ReplyIntent.STOP);
      assertThat(parser.parse("abmelden", "shop", locale).intent()).isEqualTo(ReplyIntent.STOP);
      assertThat(parser.parse("désabonner", "shop", locale).intent()).isEqualTo(ReplyIntent.STOP);
      assertThat(parser.parse("remove me", "shop", locale).intent()).isEqualTo(ReplyIntent.STOP);
    }
  }

  @Test
  void shouldConfirmAProgramsOwnSynonymWithCourtesyAroundIt() {
    ReplyParser withOk =
        new ReplyParser(
            ReplyKeywords.defaults()
                .with(ReplyIntent.CONFIRM, "shop", null, java.util.List.of("OK")),
            6);

    assertThat(withOk.parse("ok thanks", "shop", "en").intent()).isEqualTo(ReplyIntent.CONFIRM);
    assertThat(withOk.parse("ok thanks", "news", "en").intent()).isEqualTo(ReplyIntent.OTHER);
  }

  @Test
  void shouldListEveryRuleAndPhraseInTheDocs() throws IOException {
    String docs = Files.readString(Path.of("..", "docs", "replies.md"));

    for (ReplyRules.Rule rule : ReplyRules.TABLE) {
      assertThat(docs).as("rule " + rule.id()).contains("`" + rule.id() + "`");
      for (String phrase : rule.phrases()) {
        assertThat(docs).as(rule.id() + " phrase").contains(phrase);
      }
    }
  }
}
