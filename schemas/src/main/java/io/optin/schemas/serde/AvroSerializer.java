package io.optin.schemas.serde;

import io.optin.schemas.registry.RestSchemaRegistryClient;
import io.optin.schemas.registry.SchemaRegistryClient;
import io.optin.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generated Avro records in the Confluent wire format, under the TopicNameStrategy subject
 * of the topic.
 *
 * <p>The subject is {@code <topic>-value} (or {@code <topic>-key} for a key serializer). With
 * {@code auto.register.schemas=true} (the default, as in Confluent's serializer) the record's
 * schema is registered under it; with {@code false} it must already be there and only its id is
 * looked up, which is what production deployments with a locked-down registry use. A {@code null}
 * record is written as {@code null} (a tombstone).
 *
 * <p>Either build it with a client, or let Kafka instantiate it and call {@link #configure} with
 * Confluent's keys ({@code schema.registry.url}, {@code basic.auth.*}, {@code
 * auto.register.schemas}). A serializer built with a client takes only {@code isKey} from {@code
 * configure}.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

  /**
   * Confluent's key: register the schema when writing ({@code true}, default) or only look its id
   * up.
   */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

  private final Map<Class<?>, DatumWriter<T>> writers = new ConcurrentHashMap<>();
  private final boolean clientGiven;
  private SchemaRegistryClient client;
  private boolean autoRegister;
  private boolean isKey;

  /**
   * For Kafka's configuration-driven instantiation: {@link #configure} connects to the registry.
   */
  public AvroSerializer() {
    this.clientGiven = false;
    this.autoRegister = true;
  }

  /** A value serializer using {@code client}, registering schemas or only looking their ids up. */
  public AvroSerializer(SchemaRegistryClient client, boolean autoRegister) {
    this.client = Objects.requireNonNull(client, "client");
    this.clientGiven = true;
    this.autoRegister = autoRegister;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    if (!clientGiven) {
      this.client = RestSchemaRegistryClient.fromConfig(configs);
      this.autoRegister = autoRegister(configs);
    }
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    if (client == null) {
      throw new IllegalStateException(
          "AvroSerializer is not configured: call configure() with "
              + "schema.registry.url, or build it with a SchemaRegistryClient");
    }
    Schema schema = record.getSchema();
    int id = schemaId(topic, schema);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    ConfluentWireFormat.writeHeader(out, id);
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writerFor(record).write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Could not encode a "
              + schema.getFullName()
              + " for topic '"
              + topic
              + "': "
              + e.getMessage(),
          e);
    }
    return out.toByteArray();
  }

  /** The TopicNameStrategy subject: {@code <topic>-key} or {@code <topic>-value}. */
  static String subject(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }

  /** Confluent's {@code auto.register.schemas}, default {@code true}. */
  static boolean autoRegister(Map<String, ?> configs) {
    Object value = configs.get(AUTO_REGISTER_SCHEMAS);
    if (value == null) {
      return true;
    }
    String text = String.valueOf(value).strip();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new ConfigException(AUTO_REGISTER_SCHEMAS, value, "expected true or false");
  }

  private int schemaId(String topic, Schema schema) {
    String subject = subject(topic, isKey);
    try {
      return autoRegister ? client.register(subject, schema) : client.lookupId(subject, schema);
    } catch (SchemaRegistryException e) {
      String action = autoRegister ? "register" : "find (auto.register.schemas=false)";
      throw new SerializationException(
          "Could not "
              + action
              + " schema "
              + schema.getFullName()
              + " under subject '"
              + subject
              + "' for topic '"
              + topic
              + "': "
              + e.getMessage(),
          e);
    }
  }

  @SuppressWarnings("unchecked")
  private DatumWriter<T> writerFor(T record) {
    // The class's own SpecificData carries its logical type conversions (timestamp-millis as
    // Instant).
    return writers.computeIfAbsent(
        record.getClass(),
        type ->
            new SpecificDatumWriter<>(
                record.getSchema(), SpecificData.getForClass((Class<T>) type)));
  }
}
