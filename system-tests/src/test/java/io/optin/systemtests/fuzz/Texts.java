package io.optin.systemtests.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Random;

/** Building blocks of inputs: benign and hostile texts, and JSON written from maps. */
final class Texts {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Control characters other than tab and newlines: refused in every text field. */
  static final List<String> CONTROLS =
      List.of(
          "\u0000",
          "\u0001",
          "\u0007",
          "\u0008",
          "\u001b",
          "\u001b[31mred\u001b[0m",
          "\u001b]0;pwned\u0007",
          "\u001b[2J",
          "\u007f",
          "\u001f");

  /** Texts every field may hold: letters of several scripts, tabs and newlines. */
  private static final List<String> BENIGN =
      List.of(
          "Yes, text me Acme offers.",
          "Msg & data rates may apply.",
          "Reply STOP to opt out, HELP for help.",
          "Oui, envoyez-moi les offres d'Acmé.",
          "Sí, envíenme ofertas.",
          "はい、オファーを送ってください。",
          "Up to 4 msgs/month.\tReply STOP.",
          "Line one\nline two\r\nline three",
          "Emoji ok \uD83D\uDCF1",
          "<b>html</b> & \"quotes\" 'single' \\ back");

  private Texts() {}

  static String benign(Random random) {
    return BENIGN.get(random.nextInt(BENIGN.size()))
        + " "
        + BENIGN.get(random.nextInt(BENIGN.size()));
  }

  static String control(Random random) {
    return CONTROLS.get(random.nextInt(CONTROLS.size()));
  }

  /** {@code text} with a control character inserted at a random place. */
  static String withControl(Random random, String text) {
    int at = random.nextInt(text.length() + 1);
    return text.substring(0, at) + control(random) + text.substring(at);
  }

  static String repeat(Random random, String unit, int min, int max) {
    return unit.repeat(min + random.nextInt(max - min + 1));
  }

  static String printableGarbage(Random random, int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append((char) (0x21 + random.nextInt(0x5e)));
    }
    return text.toString();
  }

  static String hex(Random random, int digits) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < digits; i++) {
      text.append(Character.forDigit(random.nextInt(16), 16));
    }
    return text.toString();
  }

  static String digits(Random random, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append((char) ('0' + random.nextInt(10)));
    }
    return text.toString();
  }

  static <T> T pick(Random random, List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  /** JSON text of maps, lists and scalars (control characters escaped as {@code \\uXXXX}). */
  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
