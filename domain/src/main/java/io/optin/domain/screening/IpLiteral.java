package io.optin.domain.screening;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Whether a text is a literal IPv4 or IPv6 address; never resolves a host name. */
final class IpLiteral {

  /** Longest textual IPv6 address (IPv4-mapped form, 45 chars) plus room for a zone id. */
  static final int MAX_LENGTH = 64;

  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z._-]+)?");

  private IpLiteral() {}

  static boolean isValid(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
      return false;
    }
    if (IPV4.matcher(text).matches()) {
      return true;
    }
    if (text.indexOf(':') < 0 || !IPV6_CHARS.matcher(text).matches()) {
      return false;
    }
    try {
      // Brackets make the JDK parse an IPv6 literal or fail, without ever asking DNS.
      InetAddress.getByName("[" + text + "]");
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
