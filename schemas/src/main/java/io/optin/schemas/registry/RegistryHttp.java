package io.optin.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON over HTTP to a Schema Registry cluster: Confluent's media type, basic or bearer auth, TLS
 * stores, and the next URL when one is down.
 *
 * <p>Only a failure to get any answer moves on to the next URL; an HTTP error status is the
 * registry's answer and is raised as it is, except a 401 to an OAuth token, which is retried once
 * with a new token. The URL that last answered is tried first next time.
 */
final class RegistryHttp {

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  /** What Confluent's own client accepts, most specific first. */
  static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttp.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_IN_MESSAGE = 300;

  /** Calls made again while the registry answers busy: at most about 4 s of waiting in all. */
  private static final int BUSY_RETRIES = 5;

  private static final long BUSY_PAUSE_CAP_MILLIS = 1_000;

  static final String TARGET_SR_CLUSTER = "target-sr-cluster";
  static final String IDENTITY_POOL_ID = "Confluent-Identity-Pool-Id";

  private final List<URI> urls;
  private final RegistryAuth auth;
  private final Optional<String> fixedAuthorization;
  private final Optional<OAuthTokens> tokens;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final AtomicInteger preferred = new AtomicInteger();

  RegistryHttp(SchemaRegistrySettings settings, Clock clock) {
    this.urls = settings.urls();
    this.auth = settings.auth();
    this.requestTimeout = settings.requestTimeout();
    // HTTP/1.1: some registries sit behind proxies that mishandle the h2c upgrade the client would
    // try.
    HttpClient.Builder client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    settings.tls().ifPresent(tls -> client.sslContext(tls.sslContext()));
    this.http = client.build();
    if (auth instanceof RegistryAuth.Basic basic) {
      this.fixedAuthorization =
          Optional.of(
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString(basic.userInfo().getBytes(StandardCharsets.UTF_8)));
    } else if (auth instanceof RegistryAuth.StaticBearer bearer) {
      this.fixedAuthorization = Optional.of("Bearer " + bearer.token());
    } else {
      this.fixedAuthorization = Optional.empty();
    }
    // The token endpoint is the identity provider's, not the registry's: it is reached with the
    // JDK's trust anchors, not the registry's trust store or client certificate.
    this.tokens =
        auth instanceof RegistryAuth.OAuthClientCredentials oauth
            ? Optional.of(
                new OAuthTokens(
                    oauth,
                    HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(settings.connectTimeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build(),
                    requestTimeout,
                    clock))
            : Optional.empty();
  }

  static ObjectMapper json() {
    return JSON;
  }

  JsonNode get(String path) {
    return send("GET", path, null);
  }

  JsonNode post(String path, JsonNode body) {
    return send("POST", path, body.toString());
  }

  private JsonNode send(String method, String path, String body) {
    int first = preferred.get();
    IOException lastFailure = null;
    for (int attempt = 0; attempt < urls.size(); attempt++) {
      int index = (first + attempt) % urls.size();
      URI base = urls.get(index);
      HttpResponse<String> response;
      try {
        response = callUntilNotBusy(base, method, path, body);
      } catch (IOException e) {
        lastFailure = e;
        if (attempt + 1 < urls.size()) {
          LOG.warn(
              "Schema Registry at {} is unreachable ({}); trying {}",
              base,
              describe(e),
              urls.get((index + 1) % urls.size()));
        }
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException(
            SchemaRegistryException.NO_RESPONSE,
            SchemaRegistryException.NO_RESPONSE,
            "Interrupted while calling the Schema Registry at " + base,
            e);
      }
      preferred.set(index);
      return answer(base, method, path, response, auth);
    }
    String where = urls.stream().map(URI::toString).collect(Collectors.joining(", "));
    throw new SchemaRegistryException(
        SchemaRegistryException.NO_RESPONSE,
        SchemaRegistryException.NO_RESPONSE,
        "Schema Registry at "
            + where
            + " is unreachable: "
            + describe(lastFailure)
            + " (check "
            + SchemaRegistrySettings.URL
            + " and that the registry is running)",
        lastFailure);
  }

  /**
   * One call to {@code base}, made again while the registry answers that it is busy (503 or 429):
   * at the first use of a schema, every producer thread of a process may ask at once, and a
   * registry that sheds load says so with a {@code Retry-After}. A few short waits (the header's,
   * at most a second, else a growing backoff, with jitter so the threads spread out) turn that into
   * a slower answer instead of a failed record.
   */
  private HttpResponse<String> callUntilNotBusy(URI base, String method, String path, String body)
      throws IOException, InterruptedException {
    for (int retry = 0; ; retry++) {
      HttpResponse<String> response = callWithToken(base, method, path, body);
      int status = response.statusCode();
      if ((status != 503 && status != 429) || retry >= BUSY_RETRIES) {
        return response;
      }
      long pause = busyPauseMillis(response, retry);
      LOG.debug(
          "Schema Registry at {} answered {} to {} {}; asking again in {} ms",
          base,
          status,
          method,
          path,
          pause);
      Thread.sleep(pause);
    }
  }

  private static long busyPauseMillis(HttpResponse<String> response, int retry) {
    long backoff = Math.min(BUSY_PAUSE_CAP_MILLIS, 100L << retry);
    long asked =
        response
            .headers()
            .firstValue("Retry-After")
            .flatMap(RegistryHttp::seconds)
            .map(seconds -> Math.min(BUSY_PAUSE_CAP_MILLIS, seconds * 1000))
            .orElse(backoff);
    return asked / 2 + ThreadLocalRandom.current().nextLong(asked / 2 + 1);
  }

  private static Optional<Long> seconds(String value) {
    try {
      return Optional.of(Math.max(0, Long.parseLong(value.strip())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private HttpResponse<String> callWithToken(URI base, String method, String path, String body)
      throws IOException, InterruptedException {
    Optional<String> token = tokens.map(OAuthTokens::token);
    HttpResponse<String> response = call(base, method, path, body, token);
    if (response.statusCode() == 401 && token.isPresent()) {
      // Revoked before its time, or the clocks disagree: one more try with a new token.
      response =
          call(base, method, path, body, Optional.of(tokens.get().renewAfterRefusal(token.get())));
    }
    return response;
  }

  private HttpResponse<String> call(
      URI base, String method, String path, String body, Optional<String> token)
      throws IOException, InterruptedException {
    return http.send(
        request(base, method, path, body, token),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private HttpRequest request(
      URI base, String method, String path, String body, Optional<String> token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(requestTimeout)
            .header("Accept", ACCEPT);
    fixedAuthorization.ifPresent(value -> request.header("Authorization", value));
    token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
    if (auth instanceof RegistryAuth.OAuthClientCredentials oauth) {
      oauth.logicalCluster().ifPresent(id -> request.header(TARGET_SR_CLUSTER, id));
      oauth.identityPoolId().ifPresent(id -> request.header(IDENTITY_POOL_ID, id));
    }
    if (body == null) {
      return request.GET().build();
    }
    return request
        .header("Content-Type", CONTENT_TYPE)
        .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
  }

  private static JsonNode answer(
      URI base, String method, String path, HttpResponse<String> response, RegistryAuth auth) {
    int status = response.statusCode();
    String body = response.body() == null ? "" : response.body();
    JsonNode json = parse(body);
    if (status >= 200 && status < 300) {
      if (json == null) {
        throw new SchemaRegistryException(
            status,
            SchemaRegistryException.NO_RESPONSE,
            "Schema Registry at "
                + base
                + " answered "
                + method
                + " "
                + path
                + " with a body that is not JSON: "
                + shorten(body));
      }
      return json;
    }
    int errorCode =
        json != null && json.path("error_code").canConvertToInt()
            ? json.path("error_code").asInt()
            : SchemaRegistryException.NO_RESPONSE;
    String reason =
        json != null && json.hasNonNull("message") ? json.get("message").asText() : shorten(body);
    StringBuilder message =
        new StringBuilder("Schema Registry at ")
            .append(base)
            .append(" answered ")
            .append(status)
            .append(" to ")
            .append(method)
            .append(' ')
            .append(path);
    if (errorCode != SchemaRegistryException.NO_RESPONSE) {
      message.append(" (error code ").append(errorCode).append(')');
    }
    message.append(": ").append(reason.isBlank() ? "no details" : reason);
    if (status == 401 || status == 403) {
      message.append(" (").append(authHint(auth)).append(')');
    }
    throw new SchemaRegistryException(status, errorCode, message.toString());
  }

  private static String authHint(RegistryAuth auth) {
    if (auth instanceof RegistryAuth.Basic) {
      return "check " + SchemaRegistrySettings.USER_INFO;
    }
    if (auth instanceof RegistryAuth.StaticBearer) {
      return "check " + SchemaRegistrySettings.BEARER_TOKEN;
    }
    if (auth instanceof RegistryAuth.OAuthClientCredentials oauth) {
      return "a new token was refused too: check the scope and the registry's permissions of"
          + " client '"
          + oauth.clientId()
          + "' ("
          + SchemaRegistrySettings.OAUTH_SCOPE
          + ", "
          + SchemaRegistrySettings.OAUTH_LOGICAL_CLUSTER
          + ", "
          + SchemaRegistrySettings.OAUTH_IDENTITY_POOL_ID
          + ")";
    }
    return "the registry requires authentication: set "
        + SchemaRegistrySettings.LEGACY_USER_INFO
        + ", "
        + SchemaRegistrySettings.BEARER_TOKEN
        + " or schema.registry.oauth.*";
  }

  private static JsonNode parse(String body) {
    if (body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String shorten(String body) {
    String flat = body.replaceAll("\\s+", " ").strip();
    return flat.length() <= MAX_BODY_IN_MESSAGE
        ? flat
        : flat.substring(0, MAX_BODY_IN_MESSAGE) + "...";
  }

  /**
   * The JDK often throws a bare ConnectException with no message: name the type and the first
   * reason found.
   */
  private static String describe(Throwable failure) {
    if (failure == null) {
      return "no URL tried";
    }
    Throwable reason = failure;
    while (reason != null && reason.getMessage() == null) {
      reason = reason.getCause();
    }
    if (reason != null) {
      return failure.getClass().getSimpleName() + ": " + reason.getMessage();
    }
    if (failure instanceof java.net.ConnectException) {
      return "connection refused or host unreachable (ConnectException)";
    }
    return failure.getClass().getSimpleName();
  }
}
