package io.optin.schemas.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OAuth 2.0 token endpoint on 127.0.0.1 for the client credentials grant: it checks the
 * client's basic credentials, issues {@code token-1}, {@code token-2}... valid for {@code
 * expires_in} seconds, and tells which tokens it issued and did not revoke.
 */
final class FakeTokenEndpoint implements AutoCloseable {

  /** One token request as received. */
  record TokenRequest(String authorization, String contentType, String form) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String clientId;
  private final String clientSecret;
  private final long expiresInSeconds;
  private final AtomicInteger issued = new AtomicInteger();
  private final Set<String> valid = ConcurrentHashMap.newKeySet();
  private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();

  private FakeTokenEndpoint(String clientId, String clientSecret, long expiresInSeconds)
      throws IOException {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.expiresInSeconds = expiresInSeconds;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/oauth2/token", this::handle);
    server.start();
  }

  static FakeTokenEndpoint start(String clientId, String clientSecret, long expiresInSeconds) {
    try {
      return new FakeTokenEndpoint(clientId, clientSecret, expiresInSeconds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/oauth2/token");
  }

  List<TokenRequest> requests() {
    return List.copyOf(requests);
  }

  /** Whether {@code authorization} is {@code Bearer <a token issued and not revoked>}. */
  boolean accepts(String authorization) {
    return authorization != null
        && authorization.startsWith("Bearer ")
        && valid.contains(authorization.substring("Bearer ".length()));
  }

  /** The registry will no longer accept {@code token} (as when an administrator revokes it). */
  void revoke(String token) {
    valid.remove(token);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      requests.add(
          new TokenRequest(
              authorization, exchange.getRequestHeaders().getFirst("Content-Type"), form));
      String expected =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
      ObjectNode answer = JSON.createObjectNode();
      int status;
      if (!expected.equals(authorization)) {
        status = 401;
        answer
            .put("error", "invalid_client")
            .put("error_description", "Client authentication failed");
      } else if (!form.startsWith("grant_type=client_credentials")) {
        status = 400;
        answer.put("error", "unsupported_grant_type");
      } else {
        status = 200;
        String token = "token-" + issued.incrementAndGet();
        valid.add(token);
        answer
            .put("access_token", token)
            .put("token_type", "Bearer")
            .put("expires_in", expiresInSeconds);
      }
      byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }
}
