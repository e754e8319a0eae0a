package io.optin.kit.http;

import io.optin.kit.http.HttpPort.Refuse;
import io.optin.kit.http.HttpPort.RequestHead;
import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A laptop's ports answer only the laptop: a request must name 127.0.0.1, localhost or [::1] (any
 * port), or one of a few more hosts (a tunnel's), in its {@code Host}; a browser's cross-site post
 * must come from a page of one of those hosts too.
 *
 * <p>A web page the developer opens can make the browser send requests to 127.0.0.1 (cross-site
 * posts) or, through DNS rebinding, under its own host name to the same address; the first carries
 * the page's {@code Origin}, the second the page's {@code Host}, and both are refused here.
 */
public final class LoopbackHosts {

  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

  private final Set<String> allowed;

  private LoopbackHosts(Set<String> allowed) {
    this.allowed = Set.copyOf(allowed);
  }

  /** The loopback names and {@code more} (host names, lower-cased here). */
  public static LoopbackHosts plus(Set<String> more) {
    Set<String> hosts = new HashSet<>(LOOPBACK);
    more.forEach(host -> hosts.add(host.toLowerCase(Locale.ROOT)));
    return new LoopbackHosts(hosts);
  }

  /** Why {@code head} is refused (400 for a foreign Host, 403 for a foreign Origin), if it is. */
  public Optional<Refuse> refusal(RequestHead head) {
    if (!allowed.contains(hostOf(head.header("Host")))) {
      return Optional.of(new Refuse(400, "Host must be 127.0.0.1 or localhost", "Host"));
    }
    String origin = head.header("Origin");
    if (origin != null && !allowed.contains(originHost(origin))) {
      return Optional.of(new Refuse(403, "cross-site request refused", "Origin"));
    }
    return Optional.empty();
  }

  /** A {@code Host} header's host, lower case, without its port ({@code [::1]} kept whole). */
  static String hostOf(String header) {
    if (header == null) {
      return "";
    }
    String host = header.strip().toLowerCase(Locale.ROOT);
    int colon = host.lastIndexOf(':');
    if (colon > 0 && colon > host.lastIndexOf(']')) {
      host = host.substring(0, colon);
    }
    return host;
  }

  /** An {@code Origin}'s host ({@code null} for "null", the origin of sandboxed pages). */
  private static String originHost(String origin) {
    try {
      URI uri = URI.create(origin.strip());
      String host = uri.getHost();
      return host == null ? "" : host.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
