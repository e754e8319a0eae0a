package io.optin.dispatcher.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.SmsKind;
import io.optin.dispatcher.TestDispatcherSettings;
import io.optin.kit.config.SettingsException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MessageTemplatesTest {

  private static final String BRAND = "Acme Markets"; // 12 characters, a typical brand
  private static final Map<String, String> BRANDS = Map.of("shop", BRAND);
  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

  private final MessageTemplates defaults = new MessageTemplates(BRANDS);

  static Stream<Arguments> defaultLocalesAndKinds() {
    return Stream.of("en", "fr", "es", "de")
        .flatMap(
            locale ->
                Stream.of(
                        SmsKind.CONFIRMATION_CODE,
                        SmsKind.CONFIRMED,
                        SmsKind.OPTED_OUT,
                        SmsKind.HELP)
                    .map(kind -> Arguments.of(locale, kind)));
  }

  @ParameterizedTest(name = "[{index}] {0} {1}")
  @MethodSource("defaultLocalesAndKinds")
  void shouldFitEveryDefaultTextInOneGsm7SegmentWithATypicalBrand(String locale, SmsKind kind) {
    // Given a 12-character brand, a 6-digit code and the longest expiry (60 min, two digits)
    // When
    RenderedSms sms =
        kind == SmsKind.CONFIRMATION_CODE
            ? defaults.renderCode("shop", locale, "123456", Duration.ofMinutes(60))
            : defaults.render(kind, "shop", locale);

    // Then
    assertThat(sms.encoding())
        .as(SmsSegments.nonGsm7Characters(sms.body()))
        .isEqualTo(SmsEncoding.GSM_7);
    assertThat(sms.segments()).as(sms.body()).isEqualTo(1);
    assertThat(sms.body()).startsWith(BRAND).doesNotContain("{");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "en | Reply YES | Expires in 10 min | Msg & data rates may apply | Reply STOP to opt out, HELP for help",
        "fr | Répondez OUI | Expire dans 10 min | Frais SMS possibles | STOP pour vous désabonner, AIDE",
        "es | Responde SI | Caduca en 10 min | Pueden aplicarse tarifas | STOP para baja, AYUDA",
        "de | Antworten Sie JA | Gültig 10 Min | Ggf. Gebühren | STOP zum Abmelden, HILFE",
      })
  void shouldSayHowToConfirmWhenTheCodeExpiresTheRatesAndHowToStop(
      String locale, String confirm, String expiry, String rates, String stop) {
    String body = defaults.renderCode("shop", locale, "123456", TEN_MINUTES).body();

    assertThat(body).contains(BRAND, "123456", confirm, expiry, rates, stop);
  }

  @Test
  void shouldRenderTheEnglishCodeMessageWordForWord() {
    RenderedSms sms = defaults.renderCode("shop", "en-US", "004211", TEN_MINUTES);

    assertThat(sms.body())
        .isEqualTo(
            "Acme Markets: your code is 004211. Reply YES to confirm SMS alerts. "
                + "Expires in 10 min. Msg & data rates may apply. Reply STOP to opt out, HELP for help.");
    assertThat(sms.maskedBody())
        .isEqualTo(
            "Acme Markets: your code is ******. Reply YES to confirm SMS alerts. "
                + "Expires in 10 min. Msg & data rates may apply. Reply STOP to opt out, HELP for help.");
    assertThat(sms).isEqualTo(new RenderedSms(sms.body(), sms.maskedBody(), 1, SmsEncoding.GSM_7));
  }

  @ParameterizedTest
  @CsvSource({"PT10M, 10", "PT9M59S, 9", "PT30S, 1", "PT0S, 1", "PT1H, 60", "PT5M, 5"})
  void shouldStateTheExpiryInWholeMinutesRoundedDown(Duration expiresIn, String minutes) {
    String body = defaults.renderCode("shop", "en", "123456", expiresIn).body();

    assertThat(body).contains("Expires in " + minutes + " min.");
  }

  @Test
  void shouldKeepTheCodeOutOfTheMaskedBodyAndOutOfToString() {
    for (String code : List.of("1234", "123456", "98765432", "0000000000")) {
      RenderedSms sms = defaults.renderCode("shop", "fr", code, TEN_MINUTES);
      assertThat(sms.body()).contains(code);
      assertThat(sms.maskedBody()).doesNotContain(code).contains("*".repeat(code.length()));
      assertThat(sms.toString()).doesNotContain(code);
    }
  }

  private static final Map<String, String> OVERRIDES =
      Map.of(
          "templates.shop.fr-CA.confirmation_code", "A {code} {minutes}",
          "templates.shop.fr.CONFIRMATION_CODE", "B {code} {minutes}",
          "templates.default.fr-CA.confirmation-code", "C {code} {minutes}",
          "templates.default.es.Confirmation_Code", "D {code} {minutes}",
          "unrelated.setting", "ignored");

  @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "shop | fr-CA | A", // program + locale
        "shop | fr_CA | A",
        "shop | fr-FR | B", // program + language
        "shop | fr    | B",
        "news | fr-CA | C", // default + locale
        "news | es-MX | D", // default + language (overridden default)
        "shop | es    | D",
        "news | fr-FR | {brand}: code {code}. Répondez OUI", // built-in language
        "shop | de_AT | {brand}: Ihr Code ist {code}",
        "news | it    | {brand}: your code is {code}", // default en
        "shop | pt-BR | {brand}: your code is {code}",
        "news | null  | {brand}: your code is {code}",
        "shop | ''    | {brand}: your code is {code}",
      })
  void shouldFallBackFromProgramAndLocaleToTheDefaultEnglishText(
      String program, String locale, String starts) {
    MessageTemplates templates = new MessageTemplates(OVERRIDES, BRANDS);

    assertThat(templates.template(SmsKind.CONFIRMATION_CODE, program, locale)).startsWith(starts);
  }

  @Test
  void shouldFallBackPerKind() {
    // Given a program that only overrides its French code text
    MessageTemplates templates = new MessageTemplates(OVERRIDES, BRANDS);

    // Then its French confirmation still comes from the built-in French texts
    assertThat(templates.render(SmsKind.CONFIRMED, "shop", "fr").body())
        .startsWith("Acme Markets: inscription confirmée");
  }

  @Test
  void shouldReadDottedProgramIdsAndAnyCaseOfKind() {
    MessageTemplates templates =
        new MessageTemplates(
            Map.of(
                "templates.acme.news.en.opted-out",
                "{brand}: bye.",
                "templates.acme.news.en.Help",
                "{brand}: help."),
            Map.of("acme.news", "Acme News"));

    assertThat(templates.render(SmsKind.OPTED_OUT, "acme.news", "en").body())
        .isEqualTo("Acme News: bye.");
    assertThat(templates.render(SmsKind.HELP, "acme.news", "en-GB").body())
        .isEqualTo("Acme News: help.");
  }

  @Test
  void shouldNameTheProgramByItsIdWhenItHasNoBrand() {
    assertThat(defaults.render(SmsKind.CONFIRMED, "garden-club", "en").body())
        .startsWith("garden-club: ");
    assertThat(defaults.brandOf("shop")).isEqualTo(BRAND);
  }

  @Test
  void shouldNotFillPlaceholdersThatABrandContains() {
    MessageTemplates templates = new MessageTemplates(Map.of("odd", "Odd {code} {minutes}"));

    RenderedSms sms = templates.renderCode("odd", "en", "123456", TEN_MINUTES);

    assertThat(sms.body()).startsWith("Odd {code} {minutes}: your code is 123456.");
  }

  @Test
  void shouldReportUcs2AndMoreSegmentsForATextOutsideGsm7() {
    MessageTemplates templates =
        new MessageTemplates(
            Map.of(
                "templates.shop.fr.confirmed",
                "{brand} : vous êtes inscrit aux alertes SMS, à très bientôt ! "
                    + "Fréquence variable. Répondez STOP pour vous désabonner."),
            BRANDS);

    RenderedSms sms = templates.render(SmsKind.CONFIRMED, "shop", "fr");

    assertThat(sms.encoding()).isEqualTo(SmsEncoding.UCS_2);
    assertThat(sms.segments()).isEqualTo(2);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "templates.shop.en                    | hello {brand}            | expected templates.<programId>.<locale>.<kind>",
        "templates.shop.en.welcome            | hello {brand}            | unknown message kind \"welcome\"",
        "templates.shop.en.unknown            | hello {brand}            | unknown message kind \"unknown\"",
        "templates.shop.en.confirmation_code  | {brand}: {code}          | must hold {code} and {minutes}",
        "templates.shop.en.confirmation_code  | {brand}: {minutes} min   | must hold {code} and {minutes}",
        "templates.shop.en.confirmed          | {brand}: code {code}     | only a confirmation_code text may hold",
        "templates.shop.en.help               | {brand}: {minutes} min   | only a confirmation_code text may hold",
        "templates.shop.en.help               | {brnad}: help            | unknown placeholder {brnad}",
        "templates.shop.en.help               | '  '                     | the text is empty",
      })
  void shouldRefuseABadTemplateSettingNamingTheKey(String key, String text, String message) {
    assertThatThrownBy(() -> new MessageTemplates(Map.of(key, text), BRANDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(key)
        .hasMessageContaining(message);
  }

  @Test
  void shouldRefuseToRenderACodeMessageWithoutAValidCode() {
    assertThatThrownBy(() -> defaults.renderCode("shop", "en", "12ab56", TEN_MINUTES))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.render(SmsKind.CONFIRMATION_CODE, "shop", "en"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("renderCode");
  }

  @Test
  void shouldSignTheTextsOfTheSettingsWithTheBrandOfTheirProgram() {
    // Given
    MessageTemplates templates =
        MessageTemplates.from(
            TestDispatcherSettings.with(
                Map.of(
                    "programs.brands", "acme-deals=Acme Markets, news=Daily",
                    "templates.news.en.help", "{brand}: reply STOP to stop")));

    // Then
    assertThat(templates.renderCode("acme-deals", "en-US", "123456", TEN_MINUTES).body())
        .startsWith("Acme Markets: your code is 123456");
    assertThat(templates.render(SmsKind.HELP, "news", "en").body())
        .isEqualTo("Daily: reply STOP to stop");
    assertThat(templates.render(SmsKind.HELP, "other", "en").body()).contains("other");
  }

  @Test
  void shouldRefuseBrandsThatAreNotProgramBrandPairs() {
    assertThatThrownBy(() -> TestDispatcherSettings.with(Map.of("programs.brands", "acme")))
        .isInstanceOf(SettingsException.class)
        .hasMessage("programs.brands=acme from test: must be programId=Brand pairs (not [acme])");
  }

  @Test
  void shouldStopStartUpOnABadTextOfTheSettingsNamingItsKey() {
    assertThatThrownBy(
            () ->
                MessageTemplates.from(
                    TestDispatcherSettings.with(Map.of("templates.shop.en.welcome", "hi"))))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("templates.shop.en.welcome")
        .hasMessageContaining("unknown message kind \"welcome\"");
  }
}
