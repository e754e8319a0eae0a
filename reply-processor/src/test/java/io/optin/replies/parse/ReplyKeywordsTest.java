package io.optin.replies.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.ReplyIntent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReplyKeywordsTest {

  @Test
  void shouldListTheDefaultWordsOfEachIntentInCanonicalForm() {
    ReplyKeywords defaults = ReplyKeywords.defaults();

    assertThat(defaults.words(ReplyIntent.STOP, null, null))
        .containsExactlyInAnyOrder(
            "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "ARRET");
    assertThat(defaults.words(ReplyIntent.START, null, null))
        .containsExactlyInAnyOrder("START", "UNSTOP");
    assertThat(defaults.words(ReplyIntent.HELP, null, null))
        .containsExactlyInAnyOrder("HELP", "INFO", "AIDE", "AYUDA", "HILFE");
    assertThat(defaults.words(ReplyIntent.CONFIRM, null, null))
        .containsExactlyInAnyOrder(
            "YES",
            "Y",
            "YEA",
            "YEAH",
            "YEP",
            "YUP",
            "OUI",
            "SI",
            "JA",
            "SIM",
            "CONFIRM",
            "CONFIRMER",
            "CONFIRMAR",
            "BESTATIGEN");
  }

  @Test
  void shouldNotListAnOptOutWordAmongAProgramsConfirmations() {
    ReplyKeywords keywords =
        ReplyKeywords.defaults().with(ReplyIntent.CONFIRM, "shop", null, List.of("Quit", "OK"));

    assertThat(keywords.words(ReplyIntent.CONFIRM, "shop", "en"))
        .contains("OK")
        .doesNotContain("QUIT");
    assertThat(keywords.words(ReplyIntent.CONFIRM, "news", "en")).doesNotContain("OK");
  }

  @Test
  void shouldReadAdditionsFromSettingsAndIgnoreOtherKeys() {
    // Given
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("replies.keywords.confirm.shop.fr", "OK, D'accord");
    settings.put("replies.keywords.STOP.*.es", "BAJA");
    settings.put("replies.keywords.help.acme.news.*", "AIUTO");
    settings.put("otp.length", "6");

    // When
    ReplyParser parser = new ReplyParser(ReplyKeywords.fromSettings(settings), 6);

    // Then
    assertThat(parser.parse("ok", "shop", "fr-FR").intent()).isEqualTo(ReplyIntent.CONFIRM);
    assertThat(parser.parse("d'accord", "shop", "fr").intent()).isEqualTo(ReplyIntent.CONFIRM);
    assertThat(parser.parse("ok", "shop", "en").intent()).isEqualTo(ReplyIntent.OTHER);
    assertThat(parser.parse("baja", "shop", "es").intent()).isEqualTo(ReplyIntent.STOP);
    assertThat(parser.parse("aiuto", "acme.news", "it").intent()).isEqualTo(ReplyIntent.HELP);
    assertThat(parser.parse("aiuto", "acme", "it").intent()).isEqualTo(ReplyIntent.OTHER);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "replies.keywords.confirm        | OK  | expected replies.keywords.<confirm|stop|start|help>",
        "replies.keywords.confirm.shop   | OK  | expected replies.keywords.<confirm|stop|start|help>",
        "replies.keywords.maybe.*.*      | OK  | unknown reply intent \"maybe\"",
        "replies.keywords.code.*.*       | OK  | unknown reply intent \"code\"",
        "replies.keywords.confirm.*.*    | 1234 | empty or all digits",
        "replies.keywords.confirm.*.*    | OK,,YES | empty or all digits",
      })
  void shouldRefuseMalformedSettingsNamingTheKey(String key, String value, String message) {
    assertThatThrownBy(() -> ReplyKeywords.fromSettings(Map.of(key, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(key)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"OTHER", "CODE", "UNKNOWN"})
  void shouldRefuseAdditionsForIntentsThatAreNotKeywords(ReplyIntent intent) {
    assertThatThrownBy(() -> ReplyKeywords.defaults().with(intent, null, null, List.of("WORD")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldStayUnchangedWhenAnAdditionIsMade() {
    ReplyKeywords defaults = ReplyKeywords.defaults();

    defaults.with(ReplyIntent.CONFIRM, null, null, List.of("OK"));

    assertThat(defaults.words(ReplyIntent.CONFIRM, null, null)).doesNotContain("OK");
  }
}
