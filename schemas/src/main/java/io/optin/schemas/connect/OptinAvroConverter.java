package io.optin.schemas.connect;

import io.optin.schemas.registry.RestSchemaRegistryClient;
import io.optin.schemas.registry.SchemaRegistryClient;
import io.optin.schemas.serde.ConfluentWireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * A Kafka Connect value converter for sinks: it reads optin's Avro values in the Confluent wire
 * format, with the writer schema fetched by id from the Schema Registry, as Connect {@link
 * Struct}s, and a tombstone as a null value, so a sink connector can run without Confluent's
 * converter.
 *
 * <p>Configured like Confluent's ({@code value.converter.schema.registry.url}, and the basic auth
 * settings of {@link io.optin.schemas.registry.SchemaRegistrySettings}). It maps the Avro types
 * optin's schemas use: records, strings, enums (as strings), ints, longs ({@code timestamp-millis}
 * as Connect {@link Timestamp}), booleans, floats, doubles, bytes, fixed, arrays, maps and unions
 * of null with one type (optional). Writing ({@link #fromConnectData}) is not supported: the
 * services write the topics, a connector only reads them.
 */
public final class OptinAvroConverter implements Converter {

  private final Map<Integer, Reading> readings = new ConcurrentHashMap<>();
  private SchemaRegistryClient registry;

  /** A converter reading through {@code registry} (tests); Connect uses the no-arg one. */
  public OptinAvroConverter(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  public OptinAvroConverter() {}

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (registry == null) {
      registry = RestSchemaRegistryClient.fromConfig(configs);
    }
  }

  @Override
  public byte[] fromConnectData(String topic, Schema schema, Object value) {
    throw new DataException(
        "OptinAvroConverter only reads: the optin services write the topics, not connectors");
  }

  @Override
  public SchemaAndValue toConnectData(String topic, byte[] value) {
    if (value == null) {
      return SchemaAndValue.NULL;
    }
    try {
      int id = ConfluentWireFormat.schemaId(topic, value);
      Reading reading = readings.computeIfAbsent(id, this::reading);
      BinaryDecoder decoder =
          DecoderFactory.get()
              .binaryDecoder(
                  value,
                  ConfluentWireFormat.HEADER_LENGTH,
                  value.length - ConfluentWireFormat.HEADER_LENGTH,
                  null);
      Object avro = reading.reader().read(null, decoder);
      return new SchemaAndValue(reading.schema(), connectValue(reading.schema(), avro));
    } catch (IOException | RuntimeException e) {
      throw new DataException(
          "Cannot read a record of topic '" + topic + "': " + e.getMessage(), e);
    }
  }

  private Reading reading(int id) {
    org.apache.avro.Schema writer = registry.schemaById(id);
    return new Reading(connectSchema(writer, false), new GenericDatumReader<>(writer));
  }

  private record Reading(Schema schema, GenericDatumReader<Object> reader) {}

  /** The Connect schema of an Avro schema; a union of null and one type is that type, optional. */
  static Schema connectSchema(org.apache.avro.Schema avro, boolean optional) {
    if (avro.getType() == org.apache.avro.Schema.Type.UNION) {
      List<org.apache.avro.Schema> types = avro.getTypes();
      if (types.size() != 2 || types.stream().noneMatch(OptinAvroConverter::isNull)) {
        throw new DataException("Unsupported union (only null and one type): " + avro);
      }
      return connectSchema(isNull(types.get(0)) ? types.get(1) : types.get(0), true);
    }
    SchemaBuilder builder =
        switch (avro.getType()) {
          case RECORD -> {
            SchemaBuilder struct = SchemaBuilder.struct().name(avro.getFullName());
            for (org.apache.avro.Schema.Field field : avro.getFields()) {
              struct.field(field.name(), connectSchema(field.schema(), false));
            }
            yield struct;
          }
          case STRING, ENUM -> SchemaBuilder.string();
          case INT -> SchemaBuilder.int32();
          case LONG -> isTimestampMillis(avro) ? Timestamp.builder() : SchemaBuilder.int64();
          case BOOLEAN -> SchemaBuilder.bool();
          case FLOAT -> SchemaBuilder.float32();
          case DOUBLE -> SchemaBuilder.float64();
          case BYTES, FIXED -> SchemaBuilder.bytes();
          case ARRAY -> SchemaBuilder.array(connectSchema(avro.getElementType(), false));
          case MAP ->
              SchemaBuilder.map(Schema.STRING_SCHEMA, connectSchema(avro.getValueType(), false));
          case NULL, UNION -> throw new DataException("No Connect schema for " + avro);
        };
    return optional ? builder.optional().build() : builder.build();
  }

  private static boolean isNull(org.apache.avro.Schema avro) {
    return avro.getType() == org.apache.avro.Schema.Type.NULL;
  }

  private static boolean isTimestampMillis(org.apache.avro.Schema avro) {
    LogicalType logical = avro.getLogicalType();
    return logical != null && logical.getName().equals(LogicalTypes.timestampMillis().getName());
  }

  /** The Connect value of an Avro datum read by a generic reader, for {@code schema}. */
  static Object connectValue(Schema schema, Object avro) {
    if (avro == null) {
      if (!schema.isOptional()) {
        throw new DataException("null for a required " + schema.type());
      }
      return null;
    }
    return switch (schema.type()) {
      case STRUCT -> {
        GenericRecord record = (GenericRecord) avro;
        Struct struct = new Struct(schema);
        for (org.apache.kafka.connect.data.Field field : schema.fields()) {
          struct.put(field, connectValue(field.schema(), record.get(field.name())));
        }
        yield struct;
      }
      case STRING -> avro.toString();
      case INT64 ->
          Timestamp.LOGICAL_NAME.equals(schema.name()) ? new Date((Long) avro) : (Long) avro;
      case BYTES -> {
        if (avro instanceof GenericData.Fixed fixed) {
          yield fixed.bytes().clone();
        }
        ByteBuffer buffer = ((ByteBuffer) avro).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        yield bytes;
      }
      case ARRAY -> {
        List<Object> items = new ArrayList<>();
        for (Object item : (Iterable<?>) avro) {
          items.add(connectValue(schema.valueSchema(), item));
        }
        yield items;
      }
      case MAP -> {
        Map<String, Object> entries = new HashMap<>();
        ((Map<?, ?>) avro)
            .forEach(
                (key, item) ->
                    entries.put(key.toString(), connectValue(schema.valueSchema(), item)));
        yield entries;
      }
      default -> avro;
    };
  }

  @Override
  public void close() {}
}
