package io.optin.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Access tokens of the OAuth 2.0 client credentials grant, fetched when first needed and kept until
 * shortly before they expire.
 *
 * <p>A token is renewed once a tenth of its lifetime (at most one minute) is left, so that a
 * request never leaves with a token about to lapse. The lifetime is the answer's {@code
 * expires_in}, else the JWT's {@code exp} claim; a token with neither is kept until the registry
 * refuses it. {@link #renewAfterRefusal} drops a token the registry answered 401 to (revoked, or
 * the clocks disagree), once per token, however many requests saw it refused.
 */
final class OAuthTokens {

  static final Duration MAX_RENEWAL_MARGIN = Duration.ofMinutes(1);

  private record Token(String value, Optional<Instant> renewAt) {}

  private final RegistryAuth.OAuthClientCredentials credentials;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Clock clock;
  private Token current;

  OAuthTokens(
      RegistryAuth.OAuthClientCredentials credentials,
      HttpClient http,
      Duration requestTimeout,
      Clock clock) {
    this.credentials = credentials;
    this.http = http;
    this.requestTimeout = requestTimeout;
    this.clock = clock;
  }

  /** A token valid for a while yet, fetched now if the one held is missing or nearly expired. */
  synchronized String token() {
    if (current == null
        || current.renewAt().map(at -> !clock.instant().isBefore(at)).orElse(false)) {
      current = fetch();
    }
    return current.value();
  }

  /**
   * A token other than {@code refused}: a new one if {@code refused} is still the one held, else
   * the one another request already renewed.
   */
  synchronized String renewAfterRefusal(String refused) {
    if (current == null || current.value().equals(refused)) {
      current = fetch();
    }
    return current.value();
  }

  private Token fetch() {
    StringBuilder form = new StringBuilder("grant_type=client_credentials");
    credentials.scope().ifPresent(scope -> form.append("&scope=").append(encode(scope)));
    // RFC 6749 §2.3.1: client id and secret form-encoded, then as HTTP basic credentials.
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (encode(credentials.clientId()) + ":" + encode(credentials.clientSecret()))
                    .getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(credentials.tokenUrl())
            .timeout(requestTimeout)
            .header("Authorization", "Basic " + basic)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form.toString(), StandardCharsets.UTF_8))
            .build();
    Instant askedAt = clock.instant();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new SchemaRegistryException(
          SchemaRegistryException.NO_RESPONSE,
          SchemaRegistryException.NO_RESPONSE,
          "OAuth token endpoint "
              + credentials.tokenUrl()
              + " is unreachable: "
              + e
              + " (check "
              + SchemaRegistrySettings.OAUTH_TOKEN_URL
              + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(
          SchemaRegistryException.NO_RESPONSE,
          SchemaRegistryException.NO_RESPONSE,
          "Interrupted while asking " + credentials.tokenUrl() + " for a token",
          e);
    }
    JsonNode answer = parse(response.body());
    int status = response.statusCode();
    if (status < 200 || status >= 300 || answer == null || !answer.hasNonNull("access_token")) {
      throw refused(status, answer);
    }
    String token = answer.get("access_token").asText();
    Optional<Duration> lifetime =
        answer.path("expires_in").canConvertToLong()
            ? Optional.of(Duration.ofSeconds(answer.get("expires_in").asLong()))
            : jwtExpiry(token).map(exp -> Duration.between(askedAt, exp));
    return new Token(token, lifetime.map(life -> askedAt.plus(life).minus(margin(life))));
  }

  private SchemaRegistryException refused(int status, JsonNode answer) {
    StringBuilder message =
        new StringBuilder("OAuth token endpoint ")
            .append(credentials.tokenUrl())
            .append(" answered ")
            .append(status)
            .append(" to client '")
            .append(credentials.clientId())
            .append("'");
    if (answer != null && answer.hasNonNull("error")) {
      message.append(": ").append(answer.get("error").asText());
      if (answer.hasNonNull("error_description")) {
        message.append(" (").append(answer.get("error_description").asText()).append(')');
      }
    } else if (status >= 200 && status < 300) {
      message.append(" without an access_token");
    }
    if (status == 400 || status == 401 || status == 403) {
      message
          .append(" (check ")
          .append(SchemaRegistrySettings.OAUTH_CLIENT_ID)
          .append(", ")
          .append(SchemaRegistrySettings.OAUTH_CLIENT_SECRET)
          .append(" and ")
          .append(SchemaRegistrySettings.OAUTH_SCOPE)
          .append(')');
    }
    return new SchemaRegistryException(
        status, SchemaRegistryException.NO_RESPONSE, message.toString());
  }

  /** A tenth of the lifetime, at most {@link #MAX_RENEWAL_MARGIN}. */
  static Duration margin(Duration lifetime) {
    Duration tenth = lifetime.dividedBy(10);
    return tenth.compareTo(MAX_RENEWAL_MARGIN) < 0 ? tenth : MAX_RENEWAL_MARGIN;
  }

  private static Optional<Instant> jwtExpiry(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      JsonNode claims = RegistryHttp.json().readTree(Base64.getUrlDecoder().decode(parts[1]));
      return claims.path("exp").canConvertToLong()
          ? Optional.of(Instant.ofEpochSecond(claims.get("exp").asLong()))
          : Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      JsonNode json = RegistryHttp.json().readTree(body);
      return json.isObject() ? json : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
