package io.optin.devkit.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's {@code X-Twilio-Signature}: HMAC-SHA1, keyed with the auth token, over the full URL
 * followed by each form parameter's name and value in name order, in Base64.
 */
public final class TwilioSignature {

  public static final String HEADER = "X-Twilio-Signature";

  private TwilioSignature() {}

  public static String sign(String authToken, String url, Map<String, String> formParams) {
    StringBuilder data = new StringBuilder(url);
    new TreeMap<>(formParams)
        .forEach((name, value) -> data.append(name).append(value == null ? "" : value));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
    }
  }
}
