package io.optin.dispatcher.message;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The TwiML of a code call: the brand, the code said twice, slowly, digit by digit, the window,
 * then a {@code <Gather numDigits="1">} asking for 1 to confirm, posted to the voice webhook. Said
 * in the program's locale (en, fr, es, de; English otherwise). The code is only in {@link
 * RenderedVoice#twiml()}, which goes to Twilio and nowhere else; {@link RenderedVoice#masked()}
 * says {@code *} for each digit.
 */
public final class VoiceScript {

  /** Where Twilio posts the key pressed, under {@code public.base.url}. */
  public static final String WEBHOOK_PATH = "/webhooks/twilio/voice";

  /** The texts of one language; {brand} and {minutes} are filled, XML-escaped. */
  record Texts(String sayLanguage, String intro, String again, String window, String press) {}

  static final Map<String, Texts> BY_LANGUAGE =
      Map.of(
          "en",
          new Texts(
              "en-US",
              "Hello, this is {brand}. Your confirmation code is:",
              "Again, your code is:",
              "This code is valid for {minutes} minutes.",
              "To confirm your subscription, press 1."),
          "fr",
          new Texts(
              "fr-FR",
              "Bonjour, ici {brand}. Votre code de confirmation est :",
              "Je répète, votre code est :",
              "Ce code est valable {minutes} minutes.",
              "Pour confirmer votre inscription, appuyez sur 1."),
          "es",
          new Texts(
              "es-ES",
              "Hola, le llama {brand}. Su código de confirmación es:",
              "Repito, su código es:",
              "Este código es válido durante {minutes} minutos.",
              "Para confirmar su suscripción, pulse 1."),
          "de",
          new Texts(
              "de-DE",
              "Hallo, hier ist {brand}. Ihr Bestätigungscode lautet:",
              "Noch einmal, Ihr Code lautet:",
              "Dieser Code ist {minutes} Minuten gültig.",
              "Um Ihr Abonnement zu bestätigen, drücken Sie die 1."));

  private static final Pattern CODE = Pattern.compile("[0-9]{4,10}");

  private final MessageTemplates templates;

  /** The brands come from the SMS templates' {@code programs.brands}. */
  public VoiceScript(MessageTemplates templates) {
    this.templates = Objects.requireNonNull(templates, "templates");
  }

  /** The call's TwiML, and the same with the digits masked. */
  public record RenderedVoice(String twiml, String masked) {
    @Override
    public String toString() {
      return "RenderedVoice[masked=" + masked + "]";
    }
  }

  /**
   * @param expiresIn said in whole minutes, rounded down, at least 1
   * @param gatherAction where Twilio posts the key pressed ({@code
   *     <public.base.url>/webhooks/twilio/voice}); the call's language is added as {@code ?lang=}
   */
  public RenderedVoice render(
      String programId, String locale, String code, Duration expiresIn, URI gatherAction) {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(gatherAction, "gatherAction");
    if (!CODE.matcher(code).matches()) {
      throw new IllegalArgumentException("a code is 4 to 10 digits");
    }
    String minutes = String.valueOf(Math.max(1, expiresIn.toMinutes()));
    Texts texts = textsFor(locale);
    String language = sayLanguage(locale, texts);
    String brand = templates.brandOf(programId);
    // The voice webhook says its answer in the call's language, which it reads from its URL.
    URI action = withLanguage(gatherAction, language);
    return new RenderedVoice(
        twiml(texts, language, brand, minutes, spoken(code), action),
        twiml(texts, language, brand, minutes, spoken("*".repeat(code.length())), action));
  }

  private static String twiml(
      Texts texts, String language, String brand, String minutes, String digits, URI action) {
    String say = "<Say language=\"" + xml(language) + "\">";
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
        + say
        + xml(fill(texts.intro(), brand, minutes))
        + "</Say><Pause length=\"1\"/>"
        + say
        + digits
        + "</Say><Pause length=\"1\"/>"
        + say
        + xml(fill(texts.again(), brand, minutes))
        + "</Say><Pause length=\"1\"/>"
        + say
        + digits
        + "</Say><Pause length=\"1\"/>"
        + say
        + xml(fill(texts.window(), brand, minutes))
        + "</Say><Gather numDigits=\"1\" action=\""
        + xml(action.toString())
        + "\" method=\"POST\" timeout=\"10\">"
        + say
        + xml(fill(texts.press(), brand, minutes))
        + "</Say></Gather></Response>";
  }

  /** "1. 2. 3. 4. 5. 6.": a full stop after each digit makes the voice pause between them. */
  static String spoken(String digits) {
    StringBuilder out = new StringBuilder();
    for (char digit : digits.toCharArray()) {
      if (!out.isEmpty()) {
        out.append(' ');
      }
      out.append(digit).append('.');
    }
    return out.toString();
  }

  static Texts textsFor(String locale) {
    String tag = MessageTemplates.localeTag(locale);
    String language = tag.contains("-") ? tag.substring(0, tag.indexOf('-')) : tag;
    return BY_LANGUAGE.getOrDefault(language, BY_LANGUAGE.get("en"));
  }

  /**
   * The locale as Twilio's {@code <Say language>} takes it (fr-CA stays fr-CA), else the text's.
   */
  private static String sayLanguage(String locale, Texts texts) {
    String tag = MessageTemplates.localeTag(locale);
    if (!tag.contains("-") || !tag.startsWith(texts.sayLanguage().substring(0, 2))) {
      return texts.sayLanguage();
    }
    Locale parsed = Locale.forLanguageTag(tag);
    return parsed.getLanguage() + "-" + parsed.getCountry().toUpperCase(Locale.ROOT);
  }

  /** {@code action?lang=<language>} (or {@code &lang=} after a query of its own). */
  static URI withLanguage(URI action, String language) {
    String separator = action.getRawQuery() == null ? "?" : "&";
    return URI.create(
        action + separator + "lang=" + URLEncoder.encode(language, StandardCharsets.UTF_8));
  }

  private static String fill(String text, String brand, String minutes) {
    return text.replace("{minutes}", minutes).replace("{brand}", brand);
  }

  /**
   * Escapes the five XML special characters, so a brand like "A&B <Shop>" cannot break the TwiML.
   */
  static String xml(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
