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
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON over HTTP to a Schema Registry cluster: Confluent's media type, basic auth, and the next URL
 * when one is down.
 *
 * <p>Only a failure to get any answer moves on to the next URL; an HTTP error status is the
 * registry's answer and is raised as it is. The URL that last answered is tried first next time.
 */
final class RegistryHttp {

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  /** What Confluent's own client accepts, most specific first. */
  static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttp.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_IN_MESSAGE = 300;

  private final List<URI> urls;
  private final Optional<String> authorization;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final AtomicInteger preferred = new AtomicInteger();

  RegistryHttp(SchemaRegistrySettings settings) {
    this.urls = settings.urls();
    this.authorization =
        settings
            .userInfo()
            .map(
                info ->
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(info.getBytes(StandardCharsets.UTF_8)));
    this.requestTimeout = settings.requestTimeout();
    // HTTP/1.1: some registries sit behind proxies that mishandle the h2c upgrade the client would
    // try.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
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
        response =
            http.send(
                request(base, method, path, body),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
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
      return answer(base, method, path, response);
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

  private HttpRequest request(URI base, String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(requestTimeout)
            .header("Accept", ACCEPT);
    authorization.ifPresent(value -> request.header("Authorization", value));
    if (body == null) {
      return request.GET().build();
    }
    return request
        .header("Content-Type", CONTENT_TYPE)
        .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
  }

  private static JsonNode answer(
      URI base, String method, String path, HttpResponse<String> response) {
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
      message.append(" (check ").append(SchemaRegistrySettings.USER_INFO).append(')');
    }
    throw new SchemaRegistryException(status, errorCode, message.toString());
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
