package io.optin.kit.streams;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one format of the services' own state-store values (records), in their stores and changelogs:
 * JSON, because state stays internal to its application and needs no registry.
 *
 * <p>So that any version restores a changelog another version wrote: a record's components are its
 * fields, in declaration order; null components are left out and read back as null; unknown fields
 * are ignored; an enum symbol this version does not know reads as the enum's {@code UNKNOWN} symbol
 * when it has one (as Avro reads it). Instants are epoch milliseconds.
 */
public final class JsonSerde<T> implements Serde<T> {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          // isEmpty() and the like are questions about a value, not parts of it
          .configure(MapperFeature.AUTO_DETECT_IS_GETTERS, false)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .addModule(stateModule())
          .build();

  private final Class<T> type;

  public JsonSerde(Class<T> type) {
    this.type = type;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> {
      if (value == null) {
        return null;
      }
      try {
        return MAPPER.writeValueAsBytes(value);
      } catch (IOException e) {
        throw new SerializationException("cannot write " + type.getSimpleName() + " as JSON", e);
      }
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return MAPPER.readValue(bytes, type);
      } catch (IOException | RuntimeException e) {
        throw new SerializationException("cannot read " + type.getSimpleName() + " from JSON", e);
      }
    };
  }

  private static SimpleModule stateModule() {
    SimpleModule module = new SimpleModule("optin-state");
    module.addSerializer(
        new StdSerializer<>(Instant.class) {
          @Override
          public void serialize(Instant value, JsonGenerator json, SerializerProvider provider)
              throws IOException {
            json.writeNumber(value.toEpochMilli());
          }
        });
    module.addDeserializer(
        Instant.class,
        new JsonDeserializer<>() {
          @Override
          public Instant deserialize(JsonParser json, DeserializationContext context)
              throws IOException {
            return Instant.ofEpochMilli(json.getValueAsLong());
          }
        });
    module.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public JsonDeserializer<?> modifyEnumDeserializer(
              DeserializationConfig config,
              JavaType type,
              BeanDescription description,
              JsonDeserializer<?> deserializer) {
            return Arrays.stream(type.getRawClass().getEnumConstants())
                .filter(symbol -> ((Enum<?>) symbol).name().equals("UNKNOWN"))
                .findFirst()
                .<JsonDeserializer<?>>map(unknown -> new UnknownSymbol(deserializer, unknown))
                .orElse(deserializer);
          }
        });
    return module;
  }

  /** Reads a symbol the enum does not have as its {@code UNKNOWN} symbol. */
  private static final class UnknownSymbol extends DelegatingDeserializer {

    private static final long serialVersionUID = 1L;

    private final transient Object unknown;

    UnknownSymbol(JsonDeserializer<?> known, Object unknown) {
      super(known);
      this.unknown = unknown;
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> known) {
      return new UnknownSymbol(known, unknown);
    }

    @Override
    public Object deserialize(JsonParser json, DeserializationContext context) throws IOException {
      try {
        return super.deserialize(json, context);
      } catch (InvalidFormatException e) {
        return unknown;
      }
    }
  }
}
