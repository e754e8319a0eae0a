package io.optin.dispatcher.message;

import java.util.Objects;

/**
 * A message ready to send: {@code body} goes to the provider and nowhere else (it may hold the
 * code); {@code maskedBody} is what audit records and logs may keep. {@link #toString} shows only
 * the latter.
 */
public record RenderedSms(String body, String maskedBody, int segments, SmsEncoding encoding) {

  public RenderedSms {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(maskedBody, "maskedBody");
    Objects.requireNonNull(encoding, "encoding");
  }

  @Override
  public String toString() {
    return "RenderedSms[maskedBody="
        + maskedBody
        + ", segments="
        + segments
        + ", encoding="
        + encoding
        + "]";
  }
}
