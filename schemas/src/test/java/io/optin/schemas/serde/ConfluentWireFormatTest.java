package io.optin.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.SubscriberStatus;
import io.optin.schemas.SampleRecords;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bytes are Confluent's wire format exactly: what lets Kafka Connect, ksqlDB, Flink or kcat
 * read optin's topics, and optin read records produced by Confluent's serializers.
 */
class ConfluentWireFormatTest {

  /**
   * 0x000186A1: a Confluent Cloud style id whose bytes above 0x7f catch sign and byte-order
   * mistakes.
   */
  private static final int CLOUD_STYLE_ID = 100_001;

  private final InMemorySchemaRegistryClient registry =
      new InMemorySchemaRegistryClient(CLOUD_STYLE_ID);
  private final AvroSerdes serdes = new AvroSerdes(registry, true);

  static List<SpecificRecord> records() {
    return List.of(
        SampleRecords.signupRequested(),
        SampleRecords.consentAuditRecord(),
        SampleRecords.signupRejected(),
        SampleRecords.smsSendRequested());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void shouldFrameWithMagicByteThenBigEndianIdThenPlainAvroBinary(SpecificRecord record)
      throws IOException {
    // Given a record and the id the registry gives its schema
    String topic = "optin.wire." + record.getSchema().getName();

    // When it is serialized
    byte[] bytes = serializer(record).serialize(topic, record);

    // Then the first 5 bytes are magic 0 and the id big-endian
    assertThat(Arrays.copyOfRange(bytes, 0, 5)).containsExactly(0x00, 0x00, 0x01, 0x86, 0xA1);
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt())
        .isEqualTo(registry.lookupId(topic + "-value", record.getSchema()));
    // And the rest is the plain Avro binary encoding of the record, byte for byte
    assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plainAvroBinary(record));
  }

  @Test
  void shouldRegisterAKeySerdeUnderTheKeySubject() {
    // Given a key serde of an Avro record (optin's own keys are strings; platforms may use Avro
    // keys)
    Serde<SubscriberStatus> keySerde = serdes.forKey(SubscriberStatus.class);

    // When a key is written to a topic
    keySerde
        .serializer()
        .serialize(Topics.SUBSCRIBER_STATUS.name(), SampleRecords.subscriberStatus());

    // Then its schema sits under <topic>-key
    assertThat(registry.subjects()).containsExactly(Topics.SUBSCRIBER_STATUS.name() + "-key");
  }

  @Test
  void shouldReadRecordsFramedByAnotherWriterOfTheSameFormat() throws IOException {
    // Given bytes framed by hand as Confluent's serializer frames them, with the schema registered
    // elsewhere
    SubscriberStatus status = SampleRecords.subscriberStatus();
    int id = registry.register("some-other-subject", status.getSchema());
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    framed.write(0);
    framed.write(ByteBuffer.allocate(4).putInt(id).array());
    framed.write(plainAvroBinary(status));

    // When optin's deserializer reads them
    SubscriberStatus read =
        serdes
            .forTopic(Topics.SUBSCRIBER_STATUS)
            .deserializer()
            .deserialize(Topics.SUBSCRIBER_STATUS.name(), framed.toByteArray());

    // Then the record is the one written
    assertThat(read).isEqualTo(status);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private org.apache.kafka.common.serialization.Serializer<SpecificRecord> serializer(
      SpecificRecord record) {
    return (org.apache.kafka.common.serialization.Serializer)
        serdes.forValue(record.getClass()).serializer();
  }

  private static byte[] plainAvroBinary(SpecificRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<SpecificRecord>(
            record.getSchema(), SpecificData.getForClass(record.getClass()))
        .write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
