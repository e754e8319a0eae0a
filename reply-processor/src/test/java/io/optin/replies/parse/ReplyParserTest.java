package io.optin.replies.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.ReplyIntent;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ReplyParserTest {

  private final ReplyParser parser = new ReplyParser(6);

  @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        // STOP family of docs/replies.md, in the shapes people type them
        "STOP | STOP",
        "stop | STOP",
        "\" Stop. \" | STOP",
        "STOP! | STOP",
        "\"Stop\n\" | STOP",
        "STOPALL | STOP",
        "stop all | STOP",
        "Unsubscribe | STOP",
        "UNSUBSCRIBE | STOP",
        "cancel | STOP",
        "CANCEL | STOP",
        "End | STOP",
        "END | STOP",
        "quit | STOP",
        "QUIT | STOP",
        "revoke | STOP",
        "REVOKE | STOP",
        "optout | STOP",
        "OPTOUT | STOP",
        "opt out | STOP",
        "OPT OUT | STOP",
        "Opt-Out | STOP",
        "opt_out | STOP",
        "arret | STOP",
        "ARRET | STOP",
        "Arrêt | STOP",
        "ARRÊT ! | STOP",
        // START family
        "START | START",
        "start | START",
        "Start! | START",
        "UNSTOP | START",
        "unstop | START",
        // HELP family
        "HELP | HELP",
        "help | HELP",
        "HELP? | HELP",
        "INFO | HELP",
        "info | HELP",
        "Aide | HELP",
        "AYUDA | HELP",
        "hilfe | HELP",
        // CONFIRM: YES and synonyms
        "YES | CONFIRM",
        "yes | CONFIRM",
        "Yes! | CONFIRM",
        "\"  yes  \" | CONFIRM",
        "Y | CONFIRM",
        "y. | CONFIRM",
        "yea | CONFIRM",
        "Yeah | CONFIRM",
        "yep | CONFIRM",
        "YUP | CONFIRM",
        "OUI | CONFIRM",
        "oui | CONFIRM",
        "Oui ! | CONFIRM",
        "si | CONFIRM",
        "Sí | CONFIRM",
        "SÍ | CONFIRM",
        "ja | CONFIRM",
        "Ja! | CONFIRM",
        "sim | CONFIRM",
        "confirm | CONFIRM",
        "CONFIRM | CONFIRM",
        "Confirmer | CONFIRM",
        "confirmar | CONFIRM",
        "bestätigen | CONFIRM",
        "BESTATIGEN | CONFIRM",
        "YES 👍 | CONFIRM",
        "ｙｅｓ | CONFIRM",
        "\"\"\"Yes\"\"\" | CONFIRM",
        // a keyword with courtesy, an opt-out word in a sentence, a refusal (docs/replies.md)
        "yes please | CONFIRM",
        "stop it now | STOP",
        "no | REVIEW",
        "N | REVIEW",
        "STOPP | STOP",
        "Yesss | CONFIRM",
        // everything else
        "OK | OTHER",
        "okay | OTHER",
        "hello | OTHER",
        "12345 | OTHER",
        "1234567 | OTHER",
        "👍 | OTHER",
        "... | OTHER",
      })
  void shouldClassifyKeywordsIgnoringCaseAccentsPunctuationAndSpacing(
      String body, ReplyIntent intent) {
    ParsedReply reply = parser.parse(body);

    assertThat(reply.intent()).isEqualTo(intent);
    assertThat(reply.code()).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] \"{0}\" -> CODE {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "123456           | 123456",
        "\" 123456 \"     | 123456",
        "123 456          | 123456",
        "123-456          | 123456",
        "12 34 56         | 123456",
        "123456.          | 123456",
        "code 123456      | 123456",
        "000123           | 000123",
        "１２３４５６      | 123456",
        "١٢٣٤٥٦           | 123456",
      })
  void shouldReadABodyOfExactlyTheCodeLengthInDigitsAsACode(String body, String code) {
    assertThat(parser.parse(body)).isEqualTo(ParsedReply.code(code));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "\n", "?!"})
  void shouldReadAnEmptyBodyAsOther(String body) {
    assertThat(parser.parse(body)).isEqualTo(ParsedReply.of(ReplyIntent.OTHER));
  }

  @ParameterizedTest
  @CsvSource({
    "4, 1234, CODE",
    "4, 123456, OTHER",
    "8, 1234 5678, CODE",
    "8, 123456, OTHER",
    "10, 0123456789, CODE"
  })
  void shouldFollowTheConfiguredCodeLength(int length, String body, ReplyIntent intent) {
    assertThat(new ReplyParser(length).parse(body).intent()).isEqualTo(intent);
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 11})
  void shouldRefuseACodeLengthOutside4To10(int length) {
    assertThatThrownBy(() -> new ReplyParser(length)).hasMessageContaining("otp.length");
  }

  @Test
  void shouldConfirmWithAProgramsOwnSynonymOnlyForThatProgram() {
    // Given a program that accepts OK as consent
    ReplyParser withOk =
        new ReplyParser(
            ReplyKeywords.defaults().with(ReplyIntent.CONFIRM, "shop", null, List.of("OK")), 6);

    // When / Then
    assertThat(withOk.parse("ok", "shop", "en").intent()).isEqualTo(ReplyIntent.CONFIRM);
    assertThat(withOk.parse("Ok!", "shop", null).intent()).isEqualTo(ReplyIntent.CONFIRM);
    assertThat(withOk.parse("ok", "news", "en").intent()).isEqualTo(ReplyIntent.OTHER);
    assertThat(withOk.parse("ok").intent()).isEqualTo(ReplyIntent.OTHER);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "fr    | CONFIRM",
        "fr-FR | CONFIRM",
        "fr_CA | CONFIRM",
        "FR-be | CONFIRM",
        "en    | OTHER",
        "null | OTHER",
        "fra | OTHER"
      })
  void shouldConfirmWithALocaleSynonymForThatLanguageAndItsRegions(
      String locale, ReplyIntent intent) {
    ReplyParser french =
        new ReplyParser(
            ReplyKeywords.defaults()
                .with(ReplyIntent.CONFIRM, null, "fr", List.of("D'accord", "Volontiers")),
            6);

    assertThat(french.parse("D'ACCORD", "any-program", locale).intent()).isEqualTo(intent);
    assertThat(french.parse("volontiers !", "any-program", locale).intent()).isEqualTo(intent);
  }

  @Test
  void shouldApplyARegionalSynonymOnlyToThatRegion() {
    ReplyParser quebec =
        new ReplyParser(
            ReplyKeywords.defaults().with(ReplyIntent.CONFIRM, "*", "fr-CA", List.of("CERTAIN")),
            6);

    assertThat(quebec.parse("certain", "p", "fr-CA").intent()).isEqualTo(ReplyIntent.CONFIRM);
    assertThat(quebec.parse("certain", "p", "fr").intent()).isEqualTo(ReplyIntent.OTHER);
    assertThat(quebec.parse("certain", "p", "fr-FR").intent()).isEqualTo(ReplyIntent.OTHER);
  }

  @Test
  void shouldNeverReadAnOptOutWordAsConsentWhateverAProgramAdds() {
    // Given a program that (wrongly) lists STOP and END as confirmations
    ReplyParser misconfigured =
        new ReplyParser(
            ReplyKeywords.defaults()
                .with(ReplyIntent.CONFIRM, "shop", "en", List.of("STOP", "end", "OK")),
            6);

    assertThat(misconfigured.parse("STOP", "shop", "en").intent()).isEqualTo(ReplyIntent.STOP);
    assertThat(misconfigured.parse("end", "shop", "en").intent()).isEqualTo(ReplyIntent.STOP);
    assertThat(misconfigured.parse("ok", "shop", "en").intent()).isEqualTo(ReplyIntent.CONFIRM);
  }

  @Test
  void shouldOptOutWithALocaleStopWord() {
    ReplyParser spanish =
        new ReplyParser(
            ReplyKeywords.defaults().with(ReplyIntent.STOP, null, "es", List.of("BAJA")), 6);

    assertThat(spanish.parse("Baja", null, "es-MX").intent()).isEqualTo(ReplyIntent.STOP);
    assertThat(spanish.parse("Baja", null, "en").intent()).isEqualTo(ReplyIntent.OTHER);
  }

  @Test
  void shouldHideTheCodeWhenPrinted() {
    ParsedReply reply = parser.parse("123456");

    assertThat(reply.code()).contains("123456");
    assertThat(reply.toString()).doesNotContain("123456").contains("CODE").contains("redacted");
  }

  @Test
  void shouldRefuseACodeWithoutTheCodeIntentAndTheCodeIntentWithoutACode() {
    assertThatThrownBy(() -> new ParsedReply(ReplyIntent.CONFIRM, Optional.of("123456")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ParsedReply.of(ReplyIntent.CODE))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
