package io.optin.schemas.serde;

import io.optin.schemas.registry.RestSchemaRegistryClient;
import io.optin.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka {@link Serde} of one generated Avro class in the Confluent wire format: an {@link
 * AvroSerializer} and an {@link AvroDeserializer} sharing one registry client.
 *
 * <p>Build it with a client (as {@link AvroSerdes} does), or with the class only and then {@link
 * #configure} it with Confluent's keys ({@code schema.registry.url}, {@code basic.auth.*}, {@code
 * auto.register.schemas}).
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  private final Class<T> type;
  private AvroSerializer<T> serializer;
  private AvroDeserializer<T> deserializer;

  /**
   * A serde over {@code client}; {@code configure} then only decides whether it is for keys or
   * values.
   */
  public AvroSerde(Class<T> type, SchemaRegistryClient client, boolean autoRegister) {
    this.type = Objects.requireNonNull(type, "type");
    Objects.requireNonNull(client, "client");
    this.serializer = new AvroSerializer<>(client, autoRegister);
    this.deserializer = new AvroDeserializer<>(type, client);
  }

  /** A serde that connects to the registry named in the map given to {@link #configure}. */
  public AvroSerde(Class<T> type) {
    this.type = Objects.requireNonNull(type, "type");
    GeneratedClasses.schemaOf(type);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (serializer == null) {
      SchemaRegistryClient client = RestSchemaRegistryClient.fromConfig(configs);
      serializer = new AvroSerializer<>(client, AvroSerializer.autoRegister(configs));
      deserializer = new AvroDeserializer<>(type, client);
    }
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return configured(serializer);
  }

  @Override
  public Deserializer<T> deserializer() {
    return configured(deserializer);
  }

  @Override
  public void close() {
    if (serializer != null) {
      serializer.close();
      deserializer.close();
    }
  }

  private <S> S configured(S part) {
    if (part == null) {
      throw new IllegalStateException(
          "AvroSerde<"
              + type.getSimpleName()
              + "> is not configured: call configure()"
              + " with schema.registry.url, or build it with a SchemaRegistryClient");
    }
    return part;
  }
}
