package io.optin.kit.streams;

import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Wraps a deserializer so that it never throws: a failure becomes a {@link Decoded#refused} value.
 */
public final class DecodingDeserializer<T> implements Deserializer<Decoded<T>> {

  private final Deserializer<T> inner;

  public DecodingDeserializer(Deserializer<T> inner) {
    this.inner = inner;
  }

  /**
   * A serde for reading a topic whose records may be poison; writing {@code Decoded} values is not
   * supported.
   */
  public static <T> Serde<Decoded<T>> serde(Deserializer<T> inner) {
    Serializer<Decoded<T>> refuseWrites =
        (topic, data) -> {
          throw new UnsupportedOperationException(
              "Decoded values are read-only; write the decoded record instead");
        };
    return Serdes.serdeFrom(refuseWrites, new DecodingDeserializer<>(inner));
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    inner.configure(configs, isKey);
  }

  @Override
  public Decoded<T> deserialize(String topic, byte[] data) {
    return deserialize(topic, null, data);
  }

  @Override
  public Decoded<T> deserialize(String topic, Headers headers, byte[] data) {
    if (data == null) {
      return Decoded.refused(
          null, "empty record value (tombstone) where a record was expected", null);
    }
    try {
      T value =
          headers == null
              ? inner.deserialize(topic, data)
              : inner.deserialize(topic, headers, data);
      if (value == null) {
        return Decoded.refused(data, "record value decoded to nothing", null);
      }
      return Decoded.ok(value, data);
    } catch (RuntimeException e) {
      return Decoded.refused(data, "undeserialisable record: " + rootMessage(e), null);
    }
  }

  private static String rootMessage(Throwable e) {
    StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause();
        cause != null && cause != cause.getCause();
        cause = cause.getCause()) {
      message.append(": ").append(cause.getMessage());
    }
    return message.toString();
  }

  @Override
  public void close() {
    inner.close();
  }
}
