package io.optin.kit.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * API tokens ({@code api.tokens}): a guarded request must carry {@code Authorization: Bearer
 * <token>} with one of them, compared in constant time, or it gets 401 before its body is read. No
 * tokens means no check.
 */
final class BearerTokens {

  private static final String SCHEME = "Bearer ";

  private final List<byte[]> tokens;

  BearerTokens(List<String> tokens) {
    this.tokens =
        tokens.stream()
            .filter(token -> !token.isBlank())
            .map(token -> token.strip().getBytes(StandardCharsets.UTF_8))
            .toList();
  }

  boolean required() {
    return !tokens.isEmpty();
  }

  boolean accepts(String authorization) {
    if (authorization == null
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return false;
    }
    byte[] presented =
        authorization.substring(SCHEME.length()).strip().getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    // Every token is compared, so the time taken does not tell which one (or how much of one)
    // matched.
    for (byte[] token : tokens) {
      match |= MessageDigest.isEqual(token, presented);
    }
    return match;
  }
}
