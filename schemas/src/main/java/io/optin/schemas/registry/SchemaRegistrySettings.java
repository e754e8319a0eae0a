package io.optin.schemas.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
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
 * clients use, or optin's own {@code schema.registry.*} spellings of them.
 *
 * <p>Keys: {@code schema.registry.url} (comma-separated; the next URL is tried when one cannot be
 * reached), {@code http.connect.timeout.ms} and {@code http.read.timeout.ms}; one way to
 * authenticate at most: basic auth ({@code basic.auth.credentials.source} {@code USER_INFO} or
 * {@code URL}, {@code basic.auth.user.info} {@code user:password}), a static bearer token ({@code
 * schema.registry.bearer.token}, Confluent's {@code bearer.auth.token}) or OAuth 2.0 client
 * credentials ({@code schema.registry.oauth.*}, Confluent's {@code
 * bearer.auth.issuer.endpoint.url}, {@code bearer.auth.client.*}, {@code bearer.auth.scope}, {@code
 * bearer.auth.logical.cluster}, {@code bearer.auth.identity.pool.id}); and TLS stores ({@code
 * schema.registry.ssl.*}, see {@link RegistryTls}). Two ways to authenticate at once are refused
 * rather than one silently winning; unlike Confluent, a {@code basic.auth.user.info} given without
 * a credentials source is used rather than silently ignored.
 */
public record SchemaRegistrySettings(
    List<URI> urls,
    RegistryAuth auth,
    Optional<RegistryTls> tls,
    Duration connectTimeout,
    Duration requestTimeout) {

  public static final String URL = "schema.registry.url";
  public static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String USER_INFO = "basic.auth.user.info";

  /** Older spelling of {@link #USER_INFO} that Confluent still accepts. */
  public static final String LEGACY_USER_INFO = "schema.registry.basic.auth.user.info";

  /** Confluent's choice of bearer mode: {@code STATIC_TOKEN} or {@code OAUTHBEARER}. */
  public static final String BEARER_SOURCE = "bearer.auth.credentials.source";

  public static final String BEARER_TOKEN = "schema.registry.bearer.token";
  public static final String OAUTH_TOKEN_URL = "schema.registry.oauth.token.url";
  public static final String OAUTH_CLIENT_ID = "schema.registry.oauth.client.id";
  public static final String OAUTH_CLIENT_SECRET = "schema.registry.oauth.client.secret";
  public static final String OAUTH_SCOPE = "schema.registry.oauth.scope";
  public static final String OAUTH_LOGICAL_CLUSTER = "schema.registry.oauth.logical.cluster";
  public static final String OAUTH_IDENTITY_POOL_ID = "schema.registry.oauth.identity.pool.id";

  /** Confluent's client keys of the same settings, each read when optin's own is absent. */
  static final Map<String, String> CONFLUENT_SPELLINGS =
      Map.of(
          BEARER_TOKEN, "bearer.auth.token",
          OAUTH_TOKEN_URL, "bearer.auth.issuer.endpoint.url",
          OAUTH_CLIENT_ID, "bearer.auth.client.id",
          OAUTH_CLIENT_SECRET, "bearer.auth.client.secret",
          OAUTH_SCOPE, "bearer.auth.scope",
          OAUTH_LOGICAL_CLUSTER, "bearer.auth.logical.cluster",
          OAUTH_IDENTITY_POOL_ID, "bearer.auth.identity.pool.id");

  private static final List<String> OAUTH_KEYS =
      List.of(
          OAUTH_TOKEN_URL,
          OAUTH_CLIENT_ID,
          OAUTH_CLIENT_SECRET,
          OAUTH_SCOPE,
          OAUTH_LOGICAL_CLUSTER,
          OAUTH_IDENTITY_POOL_ID);

  public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
  public static final String READ_TIMEOUT_MS = "http.read.timeout.ms";

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  public SchemaRegistrySettings {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new ConfigException(URL + " must name at least one Schema Registry URL");
    }
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (tls.isPresent()) {
      urls.stream()
          .filter(url -> !url.getScheme().equalsIgnoreCase("https"))
          .findFirst()
          .ifPresent(
              url -> {
                throw new ConfigException(
                    "schema.registry.ssl.* is set but "
                        + URL
                        + " names "
                        + url
                        + ": use https:// URLs");
              });
    }
  }

  /** Settings with basic auth given as {@code user:password}, or none. */
  public SchemaRegistrySettings(
      List<URI> urls, Optional<String> userInfo, Duration connectTimeout, Duration requestTimeout) {
    this(
        urls,
        userInfo
            .<RegistryAuth>map(info -> new RegistryAuth.Basic(checkedUserInfo(info)))
            .orElse(RegistryAuth.NONE),
        Optional.empty(),
        connectTimeout,
        requestTimeout);
  }

  /** Settings for comma-separated {@code urls}, no authentication, default timeouts. */
  public static SchemaRegistrySettings of(String urls) {
    return fromConfig(Map.of(URL, urls));
  }

  /** The basic auth {@code user:password}, when that is the way to authenticate. */
  public Optional<String> userInfo() {
    return auth instanceof RegistryAuth.Basic basic
        ? Optional.of(basic.userInfo())
        : Optional.empty();
  }

  /** The same settings sending {@code Authorization: Basic} built from {@code user:password}. */
  public SchemaRegistrySettings withUserInfo(String userPassword) {
    return withAuth(new RegistryAuth.Basic(checkedUserInfo(userPassword)));
  }

  /** The same settings authenticating this way instead. */
  public SchemaRegistrySettings withAuth(RegistryAuth newAuth) {
    return new SchemaRegistrySettings(urls, newAuth, tls, connectTimeout, requestTimeout);
  }

  /** The same settings over these TLS stores. */
  public SchemaRegistrySettings withTls(RegistryTls newTls) {
    return new SchemaRegistrySettings(
        urls, auth, Optional.of(newTls), connectTimeout, requestTimeout);
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
        auth(configs, userInfo),
        tls(configs),
        millis(configs, CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT),
        millis(configs, READ_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT));
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "SchemaRegistrySettings[urls="
        + urls
        + ", auth="
        + auth.mode()
        + ", tls="
        + tls.map(RegistryTls::toString).orElse("JDK default")
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

  /**
   * The one way to authenticate the keys name: basic auth, a static bearer token or OAuth client
   * credentials, refusing two at once.
   */
  private static RegistryAuth auth(Map<String, ?> configs, Optional<String> userInfo) {
    Optional<String> token = setting(configs, BEARER_TOKEN);
    boolean oauth = OAUTH_KEYS.stream().anyMatch(key -> setting(configs, key).isPresent());
    Optional<String> bearerSource =
        Optional.ofNullable(configs.get(BEARER_SOURCE))
            .map(SchemaRegistrySettings::text)
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .map(s -> s.toUpperCase(Locale.ROOT));
    if (bearerSource.isPresent()) {
      switch (bearerSource.get()) {
        case "STATIC_TOKEN" -> {
          if (token.isEmpty()) {
            throw new ConfigException(BEARER_SOURCE + "=STATIC_TOKEN needs " + BEARER_TOKEN);
          }
        }
        case "OAUTHBEARER" -> {
          if (!oauth) {
            throw new ConfigException(
                BEARER_SOURCE
                    + "=OAUTHBEARER needs "
                    + String.join(", ", OAUTH_KEYS.subList(0, 3)));
          }
        }
        default ->
            throw new ConfigException(
                BEARER_SOURCE,
                bearerSource.get(),
                "supported sources are STATIC_TOKEN and OAUTHBEARER");
      }
    }
    List<String> modes = new ArrayList<>();
    userInfo.ifPresent(info -> modes.add("basic auth (" + LEGACY_USER_INFO + ")"));
    token.ifPresent(t -> modes.add("a static bearer token (" + BEARER_TOKEN + ")"));
    if (oauth) {
      modes.add("OAuth client credentials (schema.registry.oauth.*)");
    }
    if (modes.size() > 1) {
      throw new ConfigException(
          "The Schema Registry client takes one way to authenticate, but "
              + String.join(" and ", modes)
              + " are set: keep only one");
    }
    if (userInfo.isPresent()) {
      return new RegistryAuth.Basic(userInfo.get());
    }
    if (token.isPresent()) {
      return new RegistryAuth.StaticBearer(token.get());
    }
    if (oauth) {
      List<String> missing =
          OAUTH_KEYS.subList(0, 3).stream().filter(key -> setting(configs, key).isEmpty()).toList();
      if (!missing.isEmpty()) {
        throw new ConfigException(
            "OAuth client credentials for the Schema Registry need "
                + String.join(", ", missing)
                + " too");
      }
      URI tokenUrl = parseUrl(OAUTH_TOKEN_URL, setting(configs, OAUTH_TOKEN_URL).orElseThrow());
      return new RegistryAuth.OAuthClientCredentials(
          tokenUrl,
          setting(configs, OAUTH_CLIENT_ID).orElseThrow(),
          setting(configs, OAUTH_CLIENT_SECRET).orElseThrow(),
          setting(configs, OAUTH_SCOPE),
          setting(configs, OAUTH_LOGICAL_CLUSTER),
          setting(configs, OAUTH_IDENTITY_POOL_ID));
    }
    return RegistryAuth.NONE;
  }

  private static Optional<RegistryTls> tls(Map<String, ?> configs) {
    Optional<RegistryTls.StoreFile> trust =
        store(
            configs,
            RegistryTls.TRUSTSTORE_LOCATION,
            RegistryTls.TRUSTSTORE_PASSWORD,
            RegistryTls.TRUSTSTORE_TYPE);
    Optional<RegistryTls.StoreFile> keys =
        store(
            configs,
            RegistryTls.KEYSTORE_LOCATION,
            RegistryTls.KEYSTORE_PASSWORD,
            RegistryTls.KEYSTORE_TYPE);
    Optional<String> keyPassword = setting(configs, RegistryTls.KEY_PASSWORD);
    if (keyPassword.isPresent() && keys.isEmpty()) {
      throw new ConfigException(
          RegistryTls.KEY_PASSWORD + " is set without " + RegistryTls.KEYSTORE_LOCATION);
    }
    if (trust.isEmpty() && keys.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RegistryTls(trust, keys, keyPassword));
  }

  private static Optional<RegistryTls.StoreFile> store(
      Map<String, ?> configs, String locationKey, String passwordKey, String typeKey) {
    Optional<String> location = setting(configs, locationKey);
    Optional<String> password = setting(configs, passwordKey);
    Optional<String> type = setting(configs, typeKey);
    if (location.isEmpty()) {
      // A type alone is harmless (optin's settings give it a default); a password alone is a
      // store forgotten.
      if (password.isPresent()) {
        throw new ConfigException(passwordKey + " is set without " + locationKey);
      }
      return Optional.empty();
    }
    return Optional.of(
        new RegistryTls.StoreFile(
            Path.of(location.get()), password, type.orElse(RegistryTls.DEFAULT_TYPE)));
  }

  /** optin's key, else Confluent's spelling of it; blank is unset. */
  private static Optional<String> setting(Map<String, ?> configs, String key) {
    Object value = configs.get(key);
    if ((value == null || text(value).isBlank()) && CONFLUENT_SPELLINGS.containsKey(key)) {
      value = configs.get(CONFLUENT_SPELLINGS.get(key));
    }
    return Optional.ofNullable(value)
        .map(SchemaRegistrySettings::text)
        .map(String::strip)
        .filter(s -> !s.isEmpty());
  }

  private static String checkedUserInfo(String userPassword) {
    // The value is a secret: the message names the key, never the value.
    if (userPassword == null || userPassword.indexOf(':') < 1) {
      throw new ConfigException(USER_INFO + " must have the form user:password");
    }
    return userPassword;
  }

  private static URI parseUrl(String url) {
    return parseUrl(URL, url);
  }

  private static URI parseUrl(String key, String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new ConfigException(
            key, withoutUserInfo(uri).toString(), "expected http(s)://host:port");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(key + " holds a malformed URL: " + e.getReason());
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
