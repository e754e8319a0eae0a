package io.optin.devkit.demo;

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
 * carrier with 21211); {@code +15005553006} is the sandbox's landline (each landline subscriber
 * under its own program, as the carrier-refused ones). IPs come from the documentation ranges (RFC
 * 5737, then RFC 3849), one per subscriber.
 */
public final class DemoPlan {

  public static final int MIN_SUBSCRIBERS = DemoPath.planned().size();

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
    return of(subscriberCount, DemoPath.planned());
  }

  /** A plan on these paths instead of the {@link DemoPath#planned()} ones. */
  static DemoPlan of(int subscriberCount, List<DemoPath> paths) {
    if (subscriberCount < paths.size() || subscriberCount > MAX_SUBSCRIBERS) {
      throw new IllegalArgumentException(
          "the demo drives "
              + paths.size()
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
    for (int i = 0; i < subscriberCount; i++) {
      DemoPath path = paths.get(i % paths.size());
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
                new DemoSubscriber(
                    number, path, LANDLINE_PHONE, PROGRAM + "-landline-" + ++landlines, ip);
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

  /** How many subscribers take each path, every planned path present. */
  public Map<DemoPath, Integer> counts() {
    Map<DemoPath, Integer> counts = new EnumMap<>(DemoPath.class);
    for (DemoPath path : DemoPath.planned()) {
      counts.put(path, on(path).size());
    }
    for (DemoSubscriber subscriber : subscribers) {
      counts.putIfAbsent(subscriber.path(), on(subscriber.path()).size());
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
