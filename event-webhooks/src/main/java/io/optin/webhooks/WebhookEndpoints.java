package io.optin.webhooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A webhook endpoint is an absolute https URL; plain http is accepted only to the machine itself,
 * where no network sees the payload's phone numbers.
 */
final class WebhookEndpoints {

  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private WebhookEndpoints() {}

  /** Why {@code urls} are refused, or null when each is a valid endpoint. */
  static String problem(List<String> urls) {
    for (String url : urls) {
      String problem = problem(url);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  static URI parse(String url) {
    String problem = problem(url);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return URI.create(url.strip());
  }

  /**
   * The endpoint as logs and dead letters show it: scheme, host, port and path, never a query
   * string or user info, which may hold the platform's own credentials.
   */
  static String display(URI endpoint) {
    return endpoint.getScheme()
        + "://"
        + endpoint.getHost()
        + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort())
        + (endpoint.getRawPath() == null ? "" : endpoint.getRawPath());
  }

  private static String problem(String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      return "'" + url + "' is not a URL";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    if (host.isEmpty()) {
      return "'" + display(uri, url) + "' names no host";
    }
    if (scheme.equals("https")) {
      return null;
    }
    if (scheme.equals("http") && (LOOPBACK.contains(host) || host.startsWith("127."))) {
      return null;
    }
    return "'"
        + display(uri, url)
        + "' must be an https URL (http only to localhost, 127.0.0.1 or [::1])";
  }

  private static String display(URI uri, String url) {
    return uri.getHost() == null || uri.getScheme() == null ? url : display(uri);
  }
}
