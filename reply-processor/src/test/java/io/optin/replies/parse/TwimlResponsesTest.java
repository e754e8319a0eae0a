package io.optin.replies.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;

class TwimlResponsesTest {

  private static final String PROLOG = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

  @Test
  void shouldAnswerWithOneMessage() {
    assertThat(TwimlResponses.message("Acme: you're subscribed."))
        .isEqualTo(
            PROLOG + "<Response><Message>Acme: you&apos;re subscribed.</Message></Response>");
  }

  @Test
  void shouldAnswerWithNothing() {
    assertThat(TwimlResponses.empty()).isEqualTo(PROLOG + "<Response/>");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "Msg & data rates        | Msg &amp; data rates",
        "<b>bold</b>             | &lt;b&gt;bold&lt;/b&gt;",
        "say \"yes\" 'now'       | say &quot;yes&quot; &apos;now&apos;",
        "]]> end                 | ]]&gt; end",
        "Arrêt, répondez é 👍    | Arrêt, répondez é 👍",
      })
  void shouldEscapeXml(String text, String escaped) {
    assertThat(TwimlResponses.message(text))
        .isEqualTo(PROLOG + "<Response><Message>" + escaped + "</Message></Response>");
  }

  @Test
  void shouldDropCharactersXmlCannotCarry() {
    assertThat(TwimlResponses.message("a\u0000b\u0007c\uFFFEd\uD800e\tf\ng"))
        .isEqualTo(PROLOG + "<Response><Message>abcde\tf\ng</Message></Response>");
  }

  @Test
  void shouldAnswerAnEmptyMessageForNullText() {
    assertThat(TwimlResponses.message(null))
        .isEqualTo(PROLOG + "<Response><Message></Message></Response>");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "plain",
        "A & B <c> \"d\" 'e' ]]>",
        "émoji 😀 and ünïcödé",
        "<!-- x --><![CDATA[y]]>",
        "&amp; already escaped"
      })
  void shouldProduceWellFormedTwimlThatReadsBackAsTheText(String text) throws Exception {
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(
                new ByteArrayInputStream(
                    TwimlResponses.message(text).getBytes(StandardCharsets.UTF_8)));

    assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("Response");
    assertThat(doc.getElementsByTagName("Message").item(0).getTextContent()).isEqualTo(text);
  }
}
