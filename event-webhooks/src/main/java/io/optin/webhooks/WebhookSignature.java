package io.optin.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Optin-Signature} header of a webhook: {@code t=<unix seconds>,v1=<hex>} where {@code
 * v1} is the lowercase hex HMAC-SHA256 of {@code "<t>.<raw body>"} keyed with the secret's UTF-8
 * bytes. The time is signed with the body, so a receiver that refuses an old {@code t} refuses a
 * replayed request too.
 */
public final class WebhookSignature {

  /** The header's name. */
  public static final String HEADER = "Optin-Signature";

  private static final String ALGORITHM = "HmacSHA256";

  private final byte[] secret;

  public WebhookSignature(byte[] secret) {
    if (secret == null || secret.length == 0) {
      throw new IllegalArgumentException("a webhook secret is required");
    }
    this.secret = secret.clone();
  }

  /** The header value signing {@code body} at {@code unixSeconds}. */
  public String header(long unixSeconds, byte[] body) {
    return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac(unixSeconds, body));
  }

  /**
   * Whether {@code header} signs {@code body} with this secret at a time within {@code
   * toleranceSeconds} of {@code nowSeconds}: what a receiver checks (docs/webhooks.md), here for
   * tests and Java receivers. The MACs are compared in constant time.
   */
  public boolean verifies(String header, byte[] body, long nowSeconds, long toleranceSeconds) {
    Long t = null;
    String v1 = null;
    for (String part : header == null ? new String[0] : header.split(",")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = part.substring(0, eq).strip();
      String value = part.substring(eq + 1).strip();
      if (name.equals("t")) {
        try {
          t = Long.parseLong(value);
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (name.equals("v1")) {
        v1 = value;
      }
    }
    if (t == null || v1 == null || Math.abs(nowSeconds - t) > toleranceSeconds) {
      return false;
    }
    byte[] expected = HexFormat.of().formatHex(mac(t, body)).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, v1.getBytes(StandardCharsets.US_ASCII));
  }

  private byte[] mac(long unixSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret, ALGORITHM));
      mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }
}
