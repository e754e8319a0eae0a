package io.optin.kit.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One named, typed and documented setting: a value is accepted only if it parses and passes its
 * check.
 *
 * @param <T> the type of the value
 */
public final class Setting<T> {

  private static final List<String> SECRET_MARKERS =
      List.of(
          "token",
          "secret",
          "password",
          "user.info",
          "jaas.config",
          "credentials",
          "master.key",
          "signing.key",
          // Kafka's inline PEM key (ssl.keystore.key) and OAuth assertion keys.
          "keystore.key",
          "private.key",
          "passphrase");

  private static final int MAX_PORT = 65_535;

  private final String key;
  private final ValueType<T> type;
  private final T defaultValue;
  private final Function<T, String> check;
  private final String allowed;
  private final String doc;

  private Setting(
      String key,
      ValueType<T> type,
      T defaultValue,
      Function<T, String> check,
      String allowed,
      String doc) {
    this.key = Objects.requireNonNull(key, "key");
    this.type = Objects.requireNonNull(type, "type");
    this.defaultValue = defaultValue;
    this.check = Objects.requireNonNull(check, "check");
    this.allowed = allowed;
    this.doc = Objects.requireNonNull(doc, "doc");
  }

  /**
   * The general form.
   *
   * @param defaultValue {@code null} when the setting has no default (it is then optional)
   * @param check returns why a parsed value is refused, or {@code null} to accept it
   * @param allowed the accepted values in words, for the reference ({@code ""} when any value of
   *     the type is)
   */
  public static <T> Setting<T> of(
      String key,
      ValueType<T> type,
      T defaultValue,
      Function<T, String> check,
      String allowed,
      String doc) {
    return new Setting<>(key, type, defaultValue, check, allowed, doc);
  }

  public static Setting<String> text(String key, String defaultValue, String doc) {
    return of(key, ValueType.STRING, defaultValue, value -> null, "", doc);
  }

  /** A text with no default: {@link Settings#optional} is empty until it is set. */
  public static Setting<String> optionalText(String key, String doc) {
    return text(key, null, doc);
  }

  public static Setting<Integer> integer(
      String key, int defaultValue, int min, int max, String doc) {
    return of(
        key,
        ValueType.INTEGER,
        defaultValue,
        value -> value < min || value > max ? "must be between " + min + " and " + max : null,
        min + " to " + max,
        doc);
  }

  /** A TCP port, 0 (any free port) to 65535. */
  public static Setting<Integer> port(String key, int defaultValue, String doc) {
    return integer(key, defaultValue, 0, MAX_PORT, doc);
  }

  public static Setting<Boolean> flag(String key, boolean defaultValue, String doc) {
    return of(key, ValueType.BOOLEAN, defaultValue, value -> null, "true, false", doc);
  }

  public static Setting<Duration> duration(
      String key, Duration defaultValue, Duration min, Duration max, String doc) {
    String low = DurationText.format(min);
    String high = DurationText.format(max);
    return of(
        key,
        ValueType.DURATION,
        defaultValue,
        value ->
            value.compareTo(min) < 0 || value.compareTo(max) > 0
                ? "must be between " + low + " and " + high
                : null,
        low + " to " + high,
        doc);
  }

  /** A comma-separated list, empty by default. */
  public static Setting<List<String>> list(String key, String doc) {
    return of(key, ValueType.LIST, List.of(), value -> null, "", doc);
  }

  /** The variable that overrides {@code key}: {@code otp.expiry} is {@code OPTIN_OTP_EXPIRY}. */
  public static String environmentVariable(String key) {
    return "OPTIN_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * Whether a value under this key must never be shown (tokens, secrets, passwords, credentials). A
   * key ending in {@code .url} names where tokens come from, such as {@code
   * schema.registry.oauth.token.url}: it is shown, as {@code schema.registry.url} is.
   */
  public static boolean isSecretKey(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return !lower.endsWith(".url") && SECRET_MARKERS.stream().anyMatch(lower::contains);
  }

  public String key() {
    return key;
  }

  public ValueType<T> type() {
    return type;
  }

  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  public String doc() {
    return doc;
  }

  /**
   * The accepted values in words ({@code 4 to 10}), or {@code ""} when any value of the type is.
   */
  public String allowed() {
    return allowed;
  }

  public String environmentVariable() {
    return environmentVariable(key);
  }

  public boolean isSecret() {
    return isSecretKey(key);
  }

  /** The default as it is written in a settings file, or {@code ""} when there is none. */
  public String defaultText() {
    return defaultValue == null ? "" : type.format(defaultValue);
  }

  /**
   * Parses and checks a value.
   *
   * @throws IllegalArgumentException whose message says why the value is refused
   */
  public T parse(String text) {
    T value = type.parse(text);
    String refusal = check.apply(value);
    if (refusal != null) {
      throw new IllegalArgumentException(refusal);
    }
    return value;
  }

  /** The value as text, masked when the setting is secret. */
  public String display(T value) {
    return isSecret() ? "****" : type.format(value);
  }

  @Override
  public String toString() {
    return key;
  }
}
