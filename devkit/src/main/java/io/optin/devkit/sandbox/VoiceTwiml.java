package io.optin.devkit.sandbox;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.helpers.DefaultHandler;

/**
 * What a voice TwiML document makes the callee hear, as Twilio plays it: its verbs in order up to
 * the first {@code <Gather>} (whose nested {@code <Say>}s are spoken while it listens), which then
 * waits for keys; {@code <Hangup>} ends the call. Verbs after a {@code <Gather>} run only when no
 * key is pressed, which the sandbox's callee never lets happen: it presses a key or hangs up.
 *
 * @param said the {@code <Say>} texts the callee hears, in order
 * @param gather the {@code <Gather>} waiting for keys, if any
 */
record VoiceTwiml(List<Said> said, Optional<Gather> gather) {

  /** Longest inline TwiML Twilio accepts on a call create. */
  static final int MAX_CHARS = 4000;

  /** One spoken text and its {@code language} attribute (null when absent). */
  record Said(String text, String language) {}

  /**
   * A {@code <Gather>}: where the keys go ({@code action}, null when absent) and how many digits
   * end it ({@code numDigits}, 0 when unset: the callee's keys are sent as one press).
   */
  record Gather(String action, String method, int numDigits) {}

  VoiceTwiml {
    said = List.copyOf(said);
  }

  /**
   * Reads a TwiML document.
   *
   * @throws IllegalArgumentException when it is not well-formed XML with a {@code <Response>} root
   */
  static VoiceTwiml parse(String twiml) {
    if (twiml == null || twiml.isBlank()) {
      throw new IllegalArgumentException("empty TwiML");
    }
    Element root;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      // TwiML from a request or a webhook answer is untrusted input: no DTDs, no external entities.
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(new DefaultHandler());
      root = builder.parse(new InputSource(new StringReader(twiml))).getDocumentElement();
    } catch (Exception e) {
      throw new IllegalArgumentException("TwiML is not well-formed XML", e);
    }
    if (!root.getTagName().equals("Response")) {
      throw new IllegalArgumentException(
          "TwiML root must be <Response>, not <" + root.getTagName() + ">");
    }
    List<Said> said = new ArrayList<>();
    NodeList verbs = root.getChildNodes();
    for (int i = 0; i < verbs.getLength(); i++) {
      if (!(verbs.item(i) instanceof Element verb)) {
        continue;
      }
      switch (verb.getTagName()) {
        case "Say" -> say(verb, said);
        case "Gather" -> {
          NodeList nested = verb.getChildNodes();
          for (int j = 0; j < nested.getLength(); j++) {
            if (nested.item(j) instanceof Element inner && inner.getTagName().equals("Say")) {
              say(inner, said);
            }
          }
          return new VoiceTwiml(said, Optional.of(gather(verb)));
        }
        case "Hangup", "Reject" -> {
          return new VoiceTwiml(said, Optional.empty());
        }
        default -> {
          // Pause, Play, Record…: nothing the sandbox's callee reads.
        }
      }
    }
    return new VoiceTwiml(said, Optional.empty());
  }

  private static void say(Element say, List<Said> said) {
    String text = say.getTextContent().strip();
    if (!text.isEmpty()) {
      said.add(new Said(text, attribute(say, "language")));
    }
  }

  private static Gather gather(Element gather) {
    int numDigits = 0;
    String digits = attribute(gather, "numDigits");
    if (digits != null) {
      try {
        numDigits = Math.max(0, Integer.parseInt(digits.strip()));
      } catch (NumberFormatException e) {
        numDigits = 0;
      }
    }
    String method = attribute(gather, "method");
    return new Gather(
        attribute(gather, "action"), method == null ? "POST" : method.toUpperCase(), numDigits);
  }

  private static String attribute(Element element, String name) {
    Node node = element.getAttributeNode(name);
    return node == null ? null : node.getNodeValue();
  }
}
