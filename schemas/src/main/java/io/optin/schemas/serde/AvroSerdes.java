package io.optin.schemas.serde;

import io.optin.schemas.Topic;
import io.optin.schemas.registry.RestSchemaRegistryClient;
import io.optin.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Makes the Avro serdes of optin's topics, all sharing one registry client and its caches.
 *
 * <p>Keys of optin's topics are plain strings ({@code Serdes.String()}); this factory makes value
 * serdes, and key serdes for the rare Avro key (subject {@code <topic>-key}). Tests give it an
 * {@link io.optin.schemas.registry.InMemorySchemaRegistryClient}; services build it from their
 * settings.
 */
public final class AvroSerdes {

  private final SchemaRegistryClient client;
  private final boolean autoRegister;

  /**
   * @param autoRegister {@code true} registers schemas on first write; {@code false} only looks
   *     their ids up, for registries where schemas are registered by a deployment step
   */
  public AvroSerdes(SchemaRegistryClient client, boolean autoRegister) {
    this.client = Objects.requireNonNull(client, "client");
    this.autoRegister = autoRegister;
  }

  /**
   * From Confluent's keys: {@code schema.registry.url}, {@code basic.auth.*}, {@code
   * auto.register.schemas}.
   */
  public static AvroSerdes fromConfig(Map<String, ?> configs) {
    return new AvroSerdes(
        RestSchemaRegistryClient.fromConfig(configs), AvroSerializer.autoRegister(configs));
  }

  /** The value serde of a topic of the catalogue. */
  public <T extends SpecificRecord> Serde<T> forTopic(Topic<T> topic) {
    return forValue(topic.valueType());
  }

  /** A value serde (subject {@code <topic>-value}) of a generated class. */
  public <T extends SpecificRecord> Serde<T> forValue(Class<T> type) {
    return serde(type, false);
  }

  /** A key serde (subject {@code <topic>-key}) of a generated class. */
  public <T extends SpecificRecord> Serde<T> forKey(Class<T> type) {
    return serde(type, true);
  }

  /** The registry client the serdes share. */
  public SchemaRegistryClient client() {
    return client;
  }

  public boolean autoRegister() {
    return autoRegister;
  }

  private <T extends SpecificRecord> Serde<T> serde(Class<T> type, boolean isKey) {
    AvroSerde<T> serde = new AvroSerde<>(type, client, autoRegister);
    serde.configure(Map.of(), isKey);
    return serde;
  }
}
