package io.optin.audit.ledger;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The byte encoding that ledger hashes and checkpoint signatures are computed over (docs/ledger.md,
 * "Canonical encoding"): each value is a presence byte (0 absent, 1 present) followed, when
 * present, by a big-endian int32, int64 (instants as epoch milliseconds), or a big-endian uint32
 * length and the bytes (strings in UTF-8, enums by symbol name). Nothing depends on Avro, so an
 * auditor can re-implement it in a page of any language.
 */
final class CanonicalEncoding {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);

  CanonicalEncoding string(String value) {
    return value == null
        ? absent()
        : present().lengthPrefixed(value.getBytes(StandardCharsets.UTF_8));
  }

  CanonicalEncoding int32(Integer value) {
    if (value == null) {
      return absent();
    }
    present().rawInt(value);
    return this;
  }

  CanonicalEncoding int64(Long value) {
    if (value == null) {
      return absent();
    }
    present().rawLong(value);
    return this;
  }

  CanonicalEncoding instant(Instant value) {
    return int64(value == null ? null : value.toEpochMilli());
  }

  CanonicalEncoding bytes(ByteBuffer value) {
    if (value == null) {
      return absent();
    }
    ByteBuffer copy = value.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return present().lengthPrefixed(bytes);
  }

  CanonicalEncoding symbol(Enum<?> value) {
    return string(value == null ? null : value.name());
  }

  /** A nested record: its presence byte; the caller then writes its fields when {@code present}. */
  CanonicalEncoding record(boolean present) {
    return present ? present() : absent();
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private CanonicalEncoding absent() {
    out.write(0);
    return this;
  }

  private CanonicalEncoding present() {
    out.write(1);
    return this;
  }

  private CanonicalEncoding lengthPrefixed(byte[] bytes) {
    rawInt(bytes.length);
    out.write(bytes, 0, bytes.length);
    return this;
  }

  private void rawInt(int value) {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
  }

  private void rawLong(long value) {
    rawInt((int) (value >>> 32));
    rawInt((int) value);
  }
}
