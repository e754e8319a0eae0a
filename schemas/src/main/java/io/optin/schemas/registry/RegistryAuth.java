package io.optin.schemas.registry;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * How the client proves who it is to the Schema Registry: one mode at most, never a secret in
 * {@code toString}.
 */
public sealed interface RegistryAuth {

  /** No {@code Authorization} header. */
  RegistryAuth NONE = new None();

  /** A short name of the mode, for messages: {@code none}, {@code basic auth}, ... */
  String mode();

  /** No authentication. */
  record None() implements RegistryAuth {
    @Override
    public String mode() {
      return "none";
    }
  }

  /** HTTP basic authentication with {@code user:password}. */
  record Basic(String userInfo) implements RegistryAuth {
    public Basic {
      Objects.requireNonNull(userInfo, "userInfo");
    }

    @Override
    public String mode() {
      return "basic auth";
    }

    @Override
    public String toString() {
      return "Basic[****]";
    }
  }

  /** A fixed bearer token, issued and rotated outside optin (a restart picks up a new one). */
  record StaticBearer(String token) implements RegistryAuth {
    public StaticBearer {
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String mode() {
      return "static bearer token";
    }

    @Override
    public String toString() {
      return "StaticBearer[****]";
    }
  }

  /**
   * Bearer tokens obtained with the OAuth 2.0 client credentials grant (RFC 6749 §4.4) from {@code
   * tokenUrl}, with the client id and secret in HTTP basic authentication.
   *
   * @param logicalCluster Confluent Cloud's Schema Registry cluster id ({@code lsrc-...}), sent as
   *     {@code target-sr-cluster}
   * @param identityPoolId Confluent Cloud's identity pool ({@code pool-...}), sent as {@code
   *     Confluent-Identity-Pool-Id}
   */
  record OAuthClientCredentials(
      URI tokenUrl,
      String clientId,
      String clientSecret,
      Optional<String> scope,
      Optional<String> logicalCluster,
      Optional<String> identityPoolId)
      implements RegistryAuth {
    public OAuthClientCredentials {
      Objects.requireNonNull(tokenUrl, "tokenUrl");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(logicalCluster, "logicalCluster");
      Objects.requireNonNull(identityPoolId, "identityPoolId");
    }

    @Override
    public String mode() {
      return "OAuth client credentials";
    }

    @Override
    public String toString() {
      return "OAuthClientCredentials[tokenUrl="
          + tokenUrl
          + ", clientId="
          + clientId
          + ", clientSecret=****, scope="
          + scope.orElse("")
          + ", logicalCluster="
          + logicalCluster.orElse("")
          + ", identityPoolId="
          + identityPoolId.orElse("")
          + "]";
    }
  }
}
