package io.optin.dispatcher.message;

import io.optin.avro.SmsKind;
import io.optin.dispatcher.DispatcherSettings;
import io.optin.domain.otp.CodeMask;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMS texts per program and locale, rendered with {brand}, {code} and {minutes}. A text is
 * looked up per kind along program+locale, program+language, default+locale, default+language,
 * default en; {@code default} is the program name that overrides the built-in texts for every
 * program.
 *
 * <p>Settings: {@code templates.<programId>.<locale>.<kind>} = text, e.g. {@code
 * templates.shop.fr-CA.confirmation_code}; kind is an {@link SmsKind} name in any case, with {@code
 * -} or {@code _}. A code text must hold {code} and {minutes} (the expiry is always stated); other
 * kinds may not hold them. A bad key or text stops start-up with a message naming the key.
 */
public final class MessageTemplates {

  public static final String SETTINGS_PREFIX = "templates.";
  public static final String DEFAULT_PROGRAM = "default";

  private static final Logger log = LoggerFactory.getLogger(MessageTemplates.class);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
  private static final Set<String> PLACEHOLDERS = Set.of("brand", "code", "minutes");
  private static final Pattern CODE = Pattern.compile("[0-9]{4,10}");

  /** A typical brand, to warn at start-up about texts that would not fit one segment. */
  private static final String SAMPLE_BRAND = "Acme Markets";

  /** program -> locale tag (lower case) -> kind -> text. */
  private final Map<String, Map<String, Map<SmsKind, String>>> texts = new HashMap<>();

  private final Map<String, String> brands;

  /** The built-in texts only. */
  public MessageTemplates(Map<String, String> brands) {
    this(Map.of(), brands);
  }

  /**
   * @param settings any settings; keys under {@value #SETTINGS_PREFIX} are read, others ignored
   * @param brands programId -> brand name said in the messages; a program without one is named by
   *     its id
   */
  public MessageTemplates(Map<String, String> settings, Map<String, String> brands) {
    this.brands = Map.copyOf(brands);
    DefaultTemplates.BY_LOCALE.forEach(
        (locale, byKind) ->
            byKind.forEach((kind, text) -> put(DEFAULT_PROGRAM, locale, kind, text)));
    settings.forEach(
        (key, text) -> {
          if (key.startsWith(SETTINGS_PREFIX)) {
            readSetting(key, text);
          }
        });
  }

  /**
   * The texts among {@code settings}: built-in, overridden by the {@code templates.*} family,
   * signed with the brands of {@code programs.brands}.
   *
   * @throws SettingsException naming the key of a text that cannot be used
   */
  public static MessageTemplates from(Settings settings) {
    Map<String, String> brands = new LinkedHashMap<>();
    for (String pair : settings.list(DispatcherSettings.PROGRAMS_BRANDS)) {
      int eq = pair.indexOf('=');
      brands.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return SettingsException.checked(
        () -> new MessageTemplates(settings.family(SETTINGS_PREFIX), brands));
  }

  /**
   * The confirmation-code message; the expiry is said in whole minutes, rounded down, at least 1.
   */
  public RenderedSms renderCode(String programId, String locale, String code, Duration expiresIn) {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(expiresIn, "expiresIn");
    if (!CODE.matcher(code).matches()) {
      throw new IllegalArgumentException("a code is 4 to 10 digits");
    }
    String minutes = String.valueOf(Math.max(1, expiresIn.toMinutes()));
    String body =
        fill(
            template(SmsKind.CONFIRMATION_CODE, programId, locale),
            brandOf(programId),
            code,
            minutes);
    return rendered(body, new CodeMask(code.length()).mask(body));
  }

  /** A message without a code: CONFIRMED, OPTED_OUT or HELP. */
  public RenderedSms render(SmsKind kind, String programId, String locale) {
    if (kind == SmsKind.CONFIRMATION_CODE) {
      throw new IllegalArgumentException(
          "a CONFIRMATION_CODE message needs a code: use renderCode");
    }
    String body = fill(template(kind, programId, locale), brandOf(programId), "", "");
    return rendered(body, body);
  }

  /** The text that applies to this kind, program and locale, before placeholders are filled. */
  public String template(SmsKind kind, String programId, String locale) {
    String tag = localeTag(locale);
    String language = tag.contains("-") ? tag.substring(0, tag.indexOf('-')) : tag;
    String[][] chain = {
      {programId, tag},
      {programId, language},
      {DEFAULT_PROGRAM, tag},
      {DEFAULT_PROGRAM, language},
      {DEFAULT_PROGRAM, DefaultTemplates.FALLBACK_LOCALE}
    };
    for (String[] step : chain) {
      String text = texts.getOrDefault(step[0], Map.of()).getOrDefault(step[1], Map.of()).get(kind);
      if (text != null) {
        return text;
      }
    }
    throw new IllegalArgumentException("no template for kind " + kind);
  }

  public String brandOf(String programId) {
    Objects.requireNonNull(programId, "programId");
    return brands.getOrDefault(programId, programId);
  }

  private void readSetting(String key, String text) {
    String[] parts = key.substring(SETTINGS_PREFIX.length()).split("\\.");
    if (parts.length < 3) {
      throw new IllegalArgumentException(
          key + ": expected " + SETTINGS_PREFIX + "<programId>.<locale>.<kind>");
    }
    String program = String.join(".", Arrays.asList(parts).subList(0, parts.length - 2));
    SmsKind kind = kindNamed(parts[parts.length - 1], key);
    check(key, kind, text);
    put(program, localeTag(parts[parts.length - 2]), kind, text);
  }

  private static SmsKind kindNamed(String name, String key) {
    String normal = name.replace('-', '_').toUpperCase(Locale.ROOT);
    for (SmsKind kind : SmsKind.values()) {
      if (kind != SmsKind.UNKNOWN && kind.name().equals(normal)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        key
            + ": unknown message kind \""
            + name
            + "\", expected confirmation_code, confirmed, opted_out or help");
  }

  private static void check(String key, SmsKind kind, String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(key + ": the text is empty");
    }
    Matcher placeholder = PLACEHOLDER.matcher(text);
    while (placeholder.find()) {
      if (!PLACEHOLDERS.contains(placeholder.group(1))) {
        throw new IllegalArgumentException(
            key
                + ": unknown placeholder "
                + placeholder.group()
                + ", expected {brand}, {code} or {minutes}");
      }
    }
    boolean code = text.contains("{code}");
    boolean minutes = text.contains("{minutes}");
    if (kind == SmsKind.CONFIRMATION_CODE && !(code && minutes)) {
      throw new IllegalArgumentException(
          key + ": a confirmation code text must hold {code} and {minutes}");
    }
    if (kind != SmsKind.CONFIRMATION_CODE && (code || minutes)) {
      throw new IllegalArgumentException(
          key + ": only a confirmation_code text may hold {code} or {minutes}");
    }
    SmsSegments sample = SmsSegments.of(fill(text, SAMPLE_BRAND, "123456", "10"));
    if (!sample.isSingleSegment()) {
      log.warn(
          "{} takes {} SMS segments ({}{}); one segment is cheaper and arrives whole",
          key,
          sample.count(),
          sample.encoding(),
          sample.encoding() == SmsEncoding.UCS_2
              ? ", because of \"" + SmsSegments.nonGsm7Characters(text) + "\""
              : "");
    }
  }

  private void put(String program, String locale, SmsKind kind, String text) {
    texts
        .computeIfAbsent(program, p -> new HashMap<>())
        .computeIfAbsent(locale, l -> new EnumMap<>(SmsKind.class))
        .put(kind, text);
  }

  /** One pass over the text, so a brand that contains "{code}" is not filled in turn. */
  private static String fill(String template, String brand, String code, String minutes) {
    Matcher placeholder = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 16);
    while (placeholder.find()) {
      String value =
          switch (placeholder.group(1)) {
            case "brand" -> brand;
            case "code" -> code;
            case "minutes" -> minutes;
            default -> placeholder.group();
          };
      placeholder.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    placeholder.appendTail(out);
    return out.toString();
  }

  private static RenderedSms rendered(String body, String maskedBody) {
    SmsSegments segments = SmsSegments.of(body);
    return new RenderedSms(body, maskedBody, segments.count(), segments.encoding());
  }

  /**
   * A lower-case BCP 47 tag ("fr-ca"); {@code fr_CA} reads as {@code fr-CA}; none means English.
   */
  static String localeTag(String locale) {
    if (locale == null || locale.isBlank()) {
      return DefaultTemplates.FALLBACK_LOCALE;
    }
    String tag =
        Locale.forLanguageTag(locale.strip().replace('_', '-'))
            .toLanguageTag()
            .toLowerCase(Locale.ROOT);
    return "und".equals(tag) ? DefaultTemplates.FALLBACK_LOCALE : tag;
  }
}
