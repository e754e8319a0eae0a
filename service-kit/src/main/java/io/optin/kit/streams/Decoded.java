package io.optin.kit.streams;

import java.util.Objects;

/**
 * A record value that was either decoded, or refused with a reason and its raw bytes, so a topology
 * can route poison records to a dead-letter topic instead of stopping a stream thread.
 */
public record Decoded<T>(T value, byte[] raw, String reason, String field) {

  public static <T> Decoded<T> ok(T value, byte[] raw) {
    return new Decoded<>(Objects.requireNonNull(value, "value"), raw, null, null);
  }

  public static <T> Decoded<T> refused(byte[] raw, String reason, String field) {
    return new Decoded<>(null, raw, Objects.requireNonNull(reason, "reason"), field);
  }

  public boolean isOk() {
    return value != null;
  }
}
