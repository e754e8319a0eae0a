package io.optin.devkit.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TwimlMessagesTest {

  @Test
  void shouldReadEveryMessageOfATwimlAnswer() {
    String twiml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>One</Message>"
            + "<Message><Body>Two &amp; more</Body></Message></Response>";

    assertThat(TwimlMessages.bodies(twiml)).containsExactly("One", "Two & more");
  }

  @Test
  void shouldReadNothingFromAnEmptyOrBrokenAnswer() {
    assertThat(TwimlMessages.bodies("<Response/>")).isEmpty();
    assertThat(TwimlMessages.bodies("")).isEmpty();
    assertThat(TwimlMessages.bodies("not xml")).isEmpty();
  }

  @Test
  void shouldRefuseDocumentTypesSoNoExternalEntityIsRead() {
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"
            + "<Response><Message>&x;</Message></Response>";

    assertThat(TwimlMessages.bodies(xxe)).isEmpty();
  }
}
