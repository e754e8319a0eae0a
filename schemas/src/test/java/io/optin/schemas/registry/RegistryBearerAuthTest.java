package io.optin.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.SignupRequested;
import io.optin.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens against real HTTP servers: a static token is sent as it is; OAuth client
 * credentials fetch a token from a token endpoint, keep it until shortly before it expires, and
 * renew it once when the registry refuses it.
 */
class RegistryBearerAuthTest {

  private static final String SUBJECT = Topics.SIGNUP_REQUESTS.valueSubject();
  private static final Schema SIGNUP = SignupRequested.getClassSchema();
  private static final String CLIENT_ID = "optin-test-client";
  private static final String CLIENT_SECRET = "test-client-secret";
  private static final long LIFETIME_SECONDS = 100;

  private final FakeConfluentRegistry registry = FakeConfluentRegistry.start();
  private final FakeTokenEndpoint endpoint =
      FakeTokenEndpoint.start(CLIENT_ID, CLIENT_SECRET, LIFETIME_SECONDS);
  private final MovableClock clock = new MovableClock();

  @AfterEach
  void stopServers() {
    registry.close();
    endpoint.close();
  }

  @Test
  void shouldSendTheStaticBearerToken() {
    // Given a registry accepting one bearer token, and a client given it in optin's key
    registry.requireAuthorization("Bearer test-static-token"::equals);
    RestSchemaRegistryClient client =
        RestSchemaRegistryClient.fromConfig(
            Map.of(
                "schema.registry.url",
                registry.url(),
                "schema.registry.bearer.token",
                "test-static-token"));

    // When a schema is registered
    int id = client.register(SUBJECT, SIGNUP);

    // Then the registry accepted the token
    assertThat(id).isEqualTo(1);
    assertThat(registry.requests().get(0).header("Authorization"))
        .contains("Bearer test-static-token");
  }

  @Test
  void shouldFetchOneTokenAndSendItWithTheConfluentCloudHeaders() {
    // Given a registry accepting the endpoint's tokens, and a client with Confluent's keys
    registry.requireAuthorization(endpoint::accepts);
    Map<String, String> config = new HashMap<>();
    config.put("schema.registry.url", registry.url());
    config.put("bearer.auth.credentials.source", "OAUTHBEARER");
    config.put("bearer.auth.issuer.endpoint.url", endpoint.url().toString());
    config.put("bearer.auth.client.id", CLIENT_ID);
    config.put("bearer.auth.client.secret", CLIENT_SECRET);
    config.put("bearer.auth.scope", "schema_registry registry:write");
    config.put("bearer.auth.logical.cluster", "lsrc-test1");
    config.put("bearer.auth.identity.pool.id", "pool-test1");
    RestSchemaRegistryClient client =
        new RestSchemaRegistryClient(SchemaRegistrySettings.fromConfig(config), clock);

    // When two requests go to the registry
    int id = client.register(SUBJECT, SIGNUP);
    RegisteredSchema latest = client.latest(SUBJECT);

    // Then one client credentials request got one token, sent with both Confluent Cloud headers
    assertThat(id).isEqualTo(1);
    assertThat(latest.id()).isEqualTo(1);
    assertThat(endpoint.requests())
        .containsExactly(
            new FakeTokenEndpoint.TokenRequest(
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)),
                "application/x-www-form-urlencoded",
                "grant_type=client_credentials&scope=schema_registry+registry%3Awrite"));
    assertThat(registry.requests()).hasSize(2);
    assertThat(registry.requests())
        .allSatisfy(
            request -> {
              assertThat(request.header("Authorization")).contains("Bearer token-1");
              assertThat(request.header("target-sr-cluster")).contains("lsrc-test1");
              assertThat(request.header("Confluent-Identity-Pool-Id")).contains("pool-test1");
            });
  }

  @Test
  void shouldRenewTheTokenOnlyOnceATenthOfItsLifetimeIsLeft() {
    // Given a client holding a token valid for 100 s
    registry.requireAuthorization(endpoint::accepts);
    RestSchemaRegistryClient client = oauthClient(CLIENT_SECRET);
    client.latest(registerAhead());

    // When the registry is called again 89 s later, then 90 s later
    clock.advance(Duration.ofSeconds(89));
    client.latest(SUBJECT);
    clock.advance(Duration.ofSeconds(1));
    client.latest(SUBJECT);

    // Then the first token served until 10 s were left, and then a second was fetched
    assertThat(endpoint.requests()).hasSize(2);
    assertThat(registry.requests())
        .extracting(request -> request.header("Authorization").orElseThrow())
        .containsExactly("Bearer token-1", "Bearer token-1", "Bearer token-2");
  }

  @Test
  void shouldRenewARefusedTokenOnceAndRepeatTheRequest() {
    // Given a client whose token the registry revoked before its expiry
    registry.requireAuthorization(endpoint::accepts);
    RestSchemaRegistryClient client = oauthClient(CLIENT_SECRET);
    client.latest(registerAhead());
    endpoint.revoke("token-1");

    // When the registry is called
    RegisteredSchema latest = client.latest(SUBJECT);

    // Then the refused call was repeated with a new token, and that one is kept
    client.latest(SUBJECT);
    assertThat(latest.schema()).isEqualTo(SIGNUP);
    assertThat(endpoint.requests()).hasSize(2);
    assertThat(registry.requests())
        .extracting(request -> request.header("Authorization").orElseThrow())
        .containsExactly("Bearer token-1", "Bearer token-1", "Bearer token-2", "Bearer token-2");
  }

  @Test
  void shouldGiveUpAfterOneNewTokenIsRefusedToo() {
    // Given a registry refusing every token (the client lacks permissions)
    registry.requireAuthorization(header -> false);
    RestSchemaRegistryClient client = oauthClient(CLIENT_SECRET);
    registerAhead();

    // When the registry is called, then the second refusal is reported, naming what to check
    assertThatThrownBy(() -> client.latest(SUBJECT))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("answered 401")
        .hasMessageContaining("client '" + CLIENT_ID + "'")
        .hasMessageContaining("schema.registry.oauth.scope");
    assertThat(endpoint.requests()).hasSize(2);
    assertThat(registry.requests()).hasSize(2);
  }

  @Test
  void shouldReportAWrongClientSecretWithoutShowingIt() {
    // Given a client whose secret the token endpoint does not know
    RestSchemaRegistryClient client = oauthClient("wrong-test-secret");

    // When the registry is called, then the token endpoint's refusal is reported, not a 401 of the
    // registry, and the registry is never called
    assertThatThrownBy(() -> client.register(SUBJECT, SIGNUP))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessage(
            "OAuth token endpoint "
                + endpoint.url()
                + " answered 401 to client '"
                + CLIENT_ID
                + "': invalid_client (Client authentication failed) (check"
                + " schema.registry.oauth.client.id, schema.registry.oauth.client.secret and"
                + " schema.registry.oauth.scope)")
        .satisfies(e -> assertThat(((SchemaRegistryException) e).httpStatus()).isEqualTo(401));
    assertThat(registry.requests()).isEmpty();
  }

  @Test
  void shouldComputeTheRenewalMarginAsATenthOfTheLifetimeUpToOneMinute() {
    assertThat(OAuthTokens.margin(Duration.ofSeconds(100))).isEqualTo(Duration.ofSeconds(10));
    assertThat(OAuthTokens.margin(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(1));
  }

  private String registerAhead() {
    registry.store().register(SUBJECT, SIGNUP);
    return SUBJECT;
  }

  private RestSchemaRegistryClient oauthClient(String secret) {
    return new RestSchemaRegistryClient(
        SchemaRegistrySettings.of(registry.url())
            .withAuth(
                new RegistryAuth.OAuthClientCredentials(
                    endpoint.url(),
                    CLIENT_ID,
                    secret,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty())),
        clock);
  }

  /** A clock the test moves forward. */
  private static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-03-01T10:00:00Z");

    void advance(Duration step) {
      now = now.plus(step);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
