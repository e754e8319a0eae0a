package io.optin.devkit.sandbox;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The texts a TwiML answer asks Twilio to send back ({@code
 * <Response><Message>…</Message></Response>}).
 */
final class TwimlMessages {

  private TwimlMessages() {}

  /** The bodies of every {@code <Message>}; empty for no, empty or unreadable TwiML. */
  static List<String> bodies(String twiml) {
    if (twiml == null || twiml.isBlank()) {
      return List.of();
    }
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      // Webhook answers are untrusted input: no DTDs, no external entities.
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      // The default handler prints "[Fatal Error]" to stderr before throwing; the exception is
      // enough.
      builder.setErrorHandler(new DefaultHandler());
      NodeList messages =
          builder.parse(new InputSource(new StringReader(twiml))).getElementsByTagName("Message");
      List<String> bodies = new ArrayList<>();
      for (int i = 0; i < messages.getLength(); i++) {
        Element message = (Element) messages.item(i);
        NodeList body = message.getElementsByTagName("Body");
        String text =
            body.getLength() > 0 ? body.item(0).getTextContent() : message.getTextContent();
        if (!text.isBlank()) {
          bodies.add(text.strip());
        }
      }
      return bodies;
    } catch (Exception e) {
      return List.of();
    }
  }
}
