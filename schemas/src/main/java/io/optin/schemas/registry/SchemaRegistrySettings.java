package io.optin.schemas.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Where the Schema Registry is and how to talk to it, read from the configuration keys Confluent's
 * clients use.
 *
 * <p>Keys: {@code schema.registry.url} (comma-separated; the next URL is tried when one cannot be
 * reached), {@code basic.auth.credentials.source} ({@code USER_INFO} or {@code URL}), {@code
 * basic.auth.user.info} ({@code user:password}), {@code http.connect.timeout.ms} and {@code
 * http.read.timeout.ms}. Unlike Confluent, a {@code basic.auth.user.info} given without a
 * credentials source is used rather than silently ignored.
 */
public record SchemaRegistrySettings(
    List<URI> urls, Optional<String> userInfo, Duration connectTimeout, Duration requestTimeout) {

  public static final String URL = "schema.registry.url";
  public static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String USER_INFO = "basic.auth.user.info";

  /** Older spelling of {@link #USER_INFO} that Confluent still accepts. */
  public static final String LEGACY_USER_INFO = "schema.registry.basic.auth.user.info";

  public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
  public static final String READ_TIMEOUT_MS = "http.read.timeout.ms";

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  public SchemaRegistrySettings {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new ConfigException(URL + " must name at least one Schema Registry URL");
    }
    Objects.requireNonNull(userInfo, "userInfo");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  /** Settings for comma-separated {@code urls}, no authentication, default timeouts. */
  public static SchemaRegistrySettings of(String urls) {
    return fromConfig(Map.of(URL, urls));
  }

  /** The same settings sending {@code Authorization: Basic} built from {@code user:password}. */
  public SchemaRegistrySettings withUserInfo(String userPassword) {
    return new SchemaRegistrySettings(
        urls, Optional.of(checkedUserInfo(userPassword)), connectTimeout, requestTimeout);
  }

  /** Reads Confluent's client keys from a Kafka serde configuration map. */
  public static SchemaRegistrySettings fromConfig(Map<String, ?> configs) {
    Object rawUrls = configs.get(URL);
    if (rawUrls == null || text(rawUrls).isBlank()) {
      throw new ConfigException(
          "Missing required configuration \"" + URL + "\": the Schema Registry URL(s)");
    }
    List<URI> urls = new ArrayList<>();
    Optional<String> userInfoInUrl = Optional.empty();
    for (String part : text(rawUrls).split(",")) {
      if (part.isBlank()) {
        continue;
      }
      URI uri = parseUrl(part.strip());
      if (uri.getRawUserInfo() != null && userInfoInUrl.isEmpty()) {
        userInfoInUrl = Optional.of(uri.getUserInfo());
      }
      urls.add(withoutUserInfo(uri));
    }
    Optional<String> userInfo = credentials(configs, userInfoInUrl);
    return new SchemaRegistrySettings(
        urls,
        userInfo,
        millis(configs, CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT),
        millis(configs, READ_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT));
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "SchemaRegistrySettings[urls="
        + urls
        + ", basicAuth="
        + userInfo.isPresent()
        + ", connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + "]";
  }

  private static Optional<String> credentials(
      Map<String, ?> configs, Optional<String> userInfoInUrl) {
    Object explicitInfo =
        configs.containsKey(USER_INFO) ? configs.get(USER_INFO) : configs.get(LEGACY_USER_INFO);
    Optional<String> configured =
        Optional.ofNullable(explicitInfo)
            .map(SchemaRegistrySettings::text)
            .filter(s -> !s.isBlank());
    Object source = configs.get(CREDENTIALS_SOURCE);
    if (source == null || text(source).isBlank()) {
      return configured.or(() -> userInfoInUrl).map(SchemaRegistrySettings::checkedUserInfo);
    }
    switch (text(source).strip().toUpperCase(Locale.ROOT)) {
      case "USER_INFO":
        return Optional.of(
            checkedUserInfo(
                configured.orElseThrow(
                    () ->
                        new ConfigException(
                            CREDENTIALS_SOURCE
                                + "=USER_INFO needs "
                                + USER_INFO
                                + " set to user:password"))));
      case "URL":
        return userInfoInUrl.map(SchemaRegistrySettings::checkedUserInfo);
      default:
        throw new ConfigException(
            CREDENTIALS_SOURCE, text(source), "supported sources are USER_INFO and URL");
    }
  }

  private static String checkedUserInfo(String userPassword) {
    // The value is a secret: the message names the key, never the value.
    if (userPassword == null || userPassword.indexOf(':') < 1) {
      throw new ConfigException(USER_INFO + " must have the form user:password");
    }
    return userPassword;
  }

  private static URI parseUrl(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new ConfigException(
            URL, withoutUserInfo(uri).toString(), "expected http(s)://host:port");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(URL + " holds a malformed URL: " + e.getReason());
    }
  }

  private static URI withoutUserInfo(URI uri) {
    try {
      // A path is kept: Apicurio serves its Confluent-compatible API under /apis/ccompat/v7.
      String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
      return new URI(
          uri.getScheme(),
          null,
          uri.getHost(),
          uri.getPort(),
          path.isEmpty() ? null : path,
          null,
          null);
    } catch (URISyntaxException e) {
      throw new ConfigException(URL + " holds a malformed URL: " + e.getReason());
    }
  }

  private static Duration millis(Map<String, ?> configs, String key, Duration fallback) {
    Object value = configs.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      long ms = Long.parseLong(text(value).strip());
      if (ms <= 0) {
        throw new ConfigException(key, value, "must be a positive number of milliseconds");
      }
      return Duration.ofMillis(ms);
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "must be a number of milliseconds");
    }
  }

  private static String text(Object value) {
    if (value instanceof Collection<?> values) {
      return String.join(",", values.stream().map(String::valueOf).toList());
    }
    return String.valueOf(value);
  }
}
