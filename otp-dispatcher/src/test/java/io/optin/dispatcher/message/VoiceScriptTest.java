package io.optin.dispatcher.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The code call's TwiML: code twice, digit by digit, the window, the key press, in the locale. */
class VoiceScriptTest {

  private static final URI ACTION = URI.create("https://optin.example/webhooks/twilio/voice");

  @Test
  void shouldSayTheCodeTwiceDigitByDigitInFrenchThenAskForOne() {
    VoiceScript script = new VoiceScript(new MessageTemplates(Map.of("shop", "Acme")));

    VoiceScript.RenderedVoice voice =
        script.render("shop", "fr-FR", "123456", Duration.ofSeconds(599), ACTION);

    String say = "<Say language=\"fr-FR\">";
    assertThat(voice.twiml())
        .isEqualTo(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
                + say
                + "Bonjour, ici Acme. Votre code de confirmation est :</Say><Pause length=\"1\"/>"
                + say
                + "1. 2. 3. 4. 5. 6.</Say><Pause length=\"1\"/>"
                + say
                + "Je répète, votre code est :</Say><Pause length=\"1\"/>"
                + say
                + "1. 2. 3. 4. 5. 6.</Say><Pause length=\"1\"/>"
                + say
                + "Ce code est valable 9 minutes.</Say>"
                + "<Gather numDigits=\"1\""
                + " action=\"https://optin.example/webhooks/twilio/voice?lang=fr-FR\""
                + " method=\"POST\" timeout=\"10\">"
                + say
                + "Pour confirmer votre inscription, appuyez sur 1.</Say></Gather></Response>");
    assertThat(voice.masked()).doesNotContain("1. 2.").contains("*. *. *. *. *. *.");
    assertThat(voice.toString()).doesNotContain("1. 2. 3.");
  }

  @Test
  void shouldEscapeABrandThatWouldBreakTheXml() {
    VoiceScript script = new VoiceScript(new MessageTemplates(Map.of("shop", "A&B <\"Shop\">")));

    String twiml = script.render("shop", "en", "1234", Duration.ofMinutes(10), ACTION).twiml();

    assertThat(twiml).contains("Hello, this is A&amp;B &lt;&quot;Shop&quot;&gt;.");
    assertThat(twiml).contains("<Say language=\"en-US\">");
  }

  @Test
  void shouldSpeakTheLocalesRegionAndFallBackToEnglishForOtherLanguages() {
    VoiceScript script = new VoiceScript(new MessageTemplates(Map.of()));

    assertThat(script.render("p", "es-MX", "1234", Duration.ofMinutes(5), ACTION).twiml())
        .contains("<Say language=\"es-MX\">Hola, le llama p.")
        .contains("válido durante 5 minutos");
    assertThat(script.render("p", "de", "1234", Duration.ofMinutes(5), ACTION).twiml())
        .contains("<Say language=\"de-DE\">Hallo, hier ist p.");
    assertThat(script.render("p", "ja-JP", "1234", Duration.ofMinutes(5), ACTION).twiml())
        .contains("<Say language=\"en-US\">Hello, this is p.");
  }

  @Test
  void shouldRefuseSomethingThatIsNotACode() {
    VoiceScript script = new VoiceScript(new MessageTemplates(Map.of()));

    assertThatThrownBy(() -> script.render("p", "en", "12<", Duration.ofMinutes(5), ACTION))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
