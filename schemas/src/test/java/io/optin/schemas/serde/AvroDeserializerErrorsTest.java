package io.optin.schemas.serde;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.SignupRequested;
import io.optin.schemas.SampleRecords;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/**
 * Bytes that are not a readable Confluent-wire-format record fail with a message saying what and
 * where.
 */
class AvroDeserializerErrorsTest {

  private static final String TOPIC = Topics.SIGNUP_REQUESTS.name();

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final AvroSerdes serdes = new AvroSerdes(registry, true);
  private final Deserializer<SignupRequested> deserializer =
      serdes.forTopic(Topics.SIGNUP_REQUESTS).deserializer();

  @Test
  void shouldNameTheIdAndTopicWhenTheSchemaIdIsUnknown() {
    // Given a well-framed record whose schema id 4242 this registry never issued
    byte[] bytes = {0, 0, 0, 0x10, (byte) 0x92, 2, 'x'};

    // Then reading it says which id on which topic
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Unknown schema id 4242")
        .hasMessageContaining("topic '" + TOPIC + "'");
  }

  @Test
  void shouldRejectAValueWithoutTheMagicByte() {
    // Given a JSON value produced by a client that does not use the registry
    byte[] json = "{\"phone\":\"+14155550123\"}".getBytes(StandardCharsets.UTF_8);

    // Then reading it names the problem, the byte found and the topic
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, json))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Unknown magic byte")
        .hasMessageContaining("0x7b")
        .hasMessageContaining(TOPIC);
  }

  @Test
  void shouldRejectAnEmptyValue() {
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[0]))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Unknown magic byte")
        .hasMessageContaining("empty value");
  }

  @Test
  void shouldRejectAHeaderCutShort() {
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 1}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("only 3 byte(s)")
        .hasMessageContaining(TOPIC);
  }

  @Test
  void shouldNameTopicAndIdWhenThePayloadIsTruncated() {
    // Given a real record cut in the middle of its payload
    byte[] whole =
        serdes
            .forTopic(Topics.SIGNUP_REQUESTS)
            .serializer()
            .serialize(TOPIC, SampleRecords.signupRequested());
    byte[] truncated = Arrays.copyOf(whole, whole.length / 2);

    // Then decoding fails naming the topic and the schema id
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic '" + TOPIC + "'")
        .hasMessageContaining("schema id 1");
  }
}
