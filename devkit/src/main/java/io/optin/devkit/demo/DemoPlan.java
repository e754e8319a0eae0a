package io.optin.devkit.demo;

import io.optin.devkit.sandbox.DeliveryOutcome;
import io.optin.devkit.sandbox.DeliveryScript;
import io.optin.devkit.sandbox.MagicNumbers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who does what in a demo run: subscribers take the {@link DemoPath}s in turn, so every path gets
 * an equal share (give or take one), and every subscriber has its own phone (or, refused by the
 * carrier, its own program), so each outcome on the topics belongs to exactly one subscriber.
 *
 * <p>Phones are fictional: {@code +1 <area> 555 0100..0199} (the only 555 lines libphonenumber
 * accepts) across 20 area codes; {@code +1 555 555 xxxx} is no valid number (refused at signup);
 * {@code +15005550001} is Twilio's magic "invalid number" (accepted by optin, refused by the
 * carrier with 21211). Landline subscribers (program {@value #LANDLINE_PROGRAM}) are on the
 * sandbox's landline {@code +15005553006} (the first) and on fictional landlines {@code +1 <area>
 * 555 0199} downwards, which the demo's {@link #deliveryScript()} makes landlines too; WhatsApp
 * subscribers (program {@value #WHATSAPP_PROGRAM}) on fictional phones {@code +1 <area> 555 0189}
 * downwards, whose SMS that script reports filtered. IPs come from the documentation ranges (RFC
 * 5737, then RFC 3849), one per subscriber.
 */
public final class DemoPlan {

  public static final int MIN_SUBSCRIBERS = DemoPath.values().length;

  /**
   * The sandbox remembers the messages of 1000 phones; more would forget the codes of the first
   * ones.
   */
  public static final int MAX_SUBSCRIBERS = 1000;

  public static final String PROGRAM = "demo";
  public static final String CARRIER_REFUSED_PHONE = "+15005550001";
  public static final int CARRIER_REFUSAL_CODE = 21211;

  /** The sandbox's landline: SMS undelivered with 30006, calls answered. */
  public static final String LANDLINE_PHONE = MagicNumbers.LANDLINE;

  /**
   * The program of the landline subscribers, the one whose {@code fallback.channels} is {@code
   * sms,voice} in the demo.
   */
  public static final String LANDLINE_PROGRAM = PROGRAM + "-landline";

  /**
   * The program of the subscribers whose SMS is filtered, the one whose {@code fallback.channels}
   * is {@code sms,whatsapp} in the demo.
   */
  public static final String WHATSAPP_PROGRAM = PROGRAM + "-whatsapp";

  /** The WhatsApp content template the demo's dispatcher sends (a sandbox one: HX + 32 hex). */
  public static final String WHATSAPP_CONTENT_SID = "HX" + "de30" + "0".repeat(27) + "1";

  /**
   * The last four digits of the fictional landlines ({@code +1 <area> 555 0190..0199}): the top of
   * the fictional range, which the reachable subscribers (from 0100 up, at most 0130) never reach.
   */
  private static final int FIRST_LANDLINE_LINE = 190;

  /** The last four digits of the filtered phones: 0180..0189, below the landlines. */
  private static final int FIRST_FILTERED_LINE = 180;

  private static final String[] AREA_CODES = {
    "415", "212", "310", "617", "202", "718", "201", "206", "213", "305", "312", "323", "404",
    "503", "512", "602", "646", "702", "773", "808"
  };
  private static final String[] IPV4_RANGES = {"192.0.2.", "198.51.100.", "203.0.113."};

  private final List<DemoSubscriber> subscribers;
  private final Map<String, DemoSubscriber> byKey;

  private DemoPlan(List<DemoSubscriber> subscribers) {
    this.subscribers = List.copyOf(subscribers);
    this.byKey =
        subscribers.stream()
            .collect(Collectors.toUnmodifiableMap(DemoSubscriber::key, Function.identity()));
  }

  /**
   * @throws IllegalArgumentException unless {@value #MIN_SUBSCRIBERS} (one per path) to {@value
   *     #MAX_SUBSCRIBERS}
   */
  public static DemoPlan of(int subscriberCount) {
    if (subscriberCount < MIN_SUBSCRIBERS || subscriberCount > MAX_SUBSCRIBERS) {
      throw new IllegalArgumentException(
          "the demo drives "
              + MIN_SUBSCRIBERS
              + " (one per path) to "
              + MAX_SUBSCRIBERS
              + " subscribers, not "
              + subscriberCount);
    }
    List<DemoSubscriber> subscribers = new ArrayList<>(subscriberCount);
    int reachable = 0;
    int refusedAtSignup = 0;
    int refusedByCarrier = 0;
    int landlines = 0;
    int filtered = 0;
    DemoPath[] paths = DemoPath.values();
    for (int i = 0; i < subscriberCount; i++) {
      DemoPath path = paths[i % paths.length];
      String ip = ip(i);
      int number = i + 1;
      subscribers.add(
          switch (path) {
            case REFUSED_AT_SIGNUP ->
                new DemoSubscriber(number, path, invalidPhone(refusedAtSignup++), PROGRAM, ip);
            case REFUSED_BY_CARRIER ->
                new DemoSubscriber(
                    number,
                    path,
                    CARRIER_REFUSED_PHONE,
                    PROGRAM + "-carrier-" + ++refusedByCarrier,
                    ip);
            case LANDLINE ->
                new DemoSubscriber(number, path, landlinePhone(landlines++), LANDLINE_PROGRAM, ip);
            case WHATSAPP ->
                new DemoSubscriber(number, path, filteredPhone(filtered++), WHATSAPP_PROGRAM, ip);
            default -> new DemoSubscriber(number, path, fictionalPhone(reachable++), PROGRAM, ip);
          });
    }
    return new DemoPlan(subscribers);
  }

  public List<DemoSubscriber> subscribers() {
    return subscribers;
  }

  public int size() {
    return subscribers.size();
  }

  /** The subscribers taking {@code path}, in plan order. */
  public List<DemoSubscriber> on(DemoPath path) {
    return subscribers.stream().filter(s -> s.path() == path).toList();
  }

  /** How many subscribers take each path, every path present. */
  public Map<DemoPath, Integer> counts() {
    Map<DemoPath, Integer> counts = new EnumMap<>(DemoPath.class);
    for (DemoPath path : DemoPath.values()) {
      counts.put(path, on(path).size());
    }
    return Collections.unmodifiableMap(counts);
  }

  /** The subscriber that signed {@code phone} up to {@code programId}, if the plan has one. */
  public Optional<DemoSubscriber> find(String programId, String phone) {
    return Optional.ofNullable(byKey.get(DemoSubscriber.keyOf(programId, phone)));
  }

  /** Spreads over the area codes first, so a run of any size looks like many places. */
  static String fictionalPhone(int index) {
    return "+1"
        + AREA_CODES[index % AREA_CODES.length]
        + "555"
        + String.format(Locale.ROOT, "%04d", 100 + index / AREA_CODES.length);
  }

  /** The first landline subscriber is on the sandbox's magic landline, the others on their own. */
  static String landlinePhone(int index) {
    return index == 0 ? LANDLINE_PHONE : fictionalLandline(index - 1);
  }

  /**
   * A fictional landline: the sandbox's delivery script of the demo ({@link #deliveryScript()})
   * reports its SMS undelivered with 30006, as the magic landline's. Counted down from 0199.
   */
  static String fictionalLandline(int index) {
    return "+1"
        + AREA_CODES[index % AREA_CODES.length]
        + "555"
        + String.format(Locale.ROOT, "%04d", 199 - index / AREA_CODES.length);
  }

  /**
   * A fictional phone whose SMS the carrier filters: the demo's {@link #deliveryScript()} reports
   * it undelivered with 30007. Counted down from 0189.
   */
  static String filteredPhone(int index) {
    return "+1"
        + AREA_CODES[index % AREA_CODES.length]
        + "555"
        + String.format(Locale.ROOT, "%04d", 189 - index / AREA_CODES.length);
  }

  /**
   * What the demo's sandbox reports: the standard script, the fictional landlines ({@code 555
   * 0190..0199}) undelivered with 30006 (landline) and the filtered phones ({@code 555 0180..0189})
   * undelivered with 30007 (filtered). Each of those subscribers has a phone of its own, so its
   * answer on the fallback channel answers its challenge and no other.
   */
  public static DeliveryScript deliveryScript() {
    DeliveryScript script = DeliveryScript.standard();
    for (int line = FIRST_FILTERED_LINE; line <= 199; line++) {
      script =
          script.when(
              "555" + String.format(Locale.ROOT, "%04d", line),
              DeliveryOutcome.undelivered(line >= FIRST_LANDLINE_LINE ? 30006 : 30007));
    }
    return script;
  }

  /** 555 is no area code: libphonenumber refuses the number, so does optin. */
  static String invalidPhone(int index) {
    return "+1555555" + String.format(Locale.ROOT, "%04d", 100 + index);
  }

  static String ip(int index) {
    int perRange = 254;
    if (index < perRange * IPV4_RANGES.length) {
      return IPV4_RANGES[index / perRange] + (1 + index % perRange);
    }
    return "2001:db8::" + Integer.toHexString(index + 1);
  }
}
