package io.optin.schemas.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.SubscriberConfirmed;
import io.optin.avro.SubscriberStatus;
import io.optin.schemas.SampleRecords;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerializer;
import io.optin.schemas.serde.AvroTrust;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/**
 * The converter reads what the services write (the Confluent wire format, writer schema from the
 * registry) as Connect structs field by field, and a tombstone as a null value.
 */
class OptinAvroConverterTest {

  static {
    // The samples' builders deep-copy enums of io.optin.avro, as the services do after this.
    AvroTrust.install();
  }

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>(registry, true);
  private final OptinAvroConverter converter = new OptinAvroConverter(registry);

  @Test
  void shouldReadAConfirmationAsAStructOfItsFields() {
    // Given a confirmation as the reply processor writes it
    SubscriberConfirmed confirmed = SampleRecords.subscriberConfirmed();
    String topic = Topics.CONFIRMED_SUBSCRIBERS.name();
    byte[] bytes = serializer.serialize(topic, confirmed);

    // When the converter reads it
    SchemaAndValue read = converter.toConnectData(topic, bytes);

    // Then every field is there, timestamps as Connect timestamps, enums as their names
    Struct struct = (Struct) read.value();
    assertThat(read.schema().name()).isEqualTo("io.optin.avro.SubscriberConfirmed");
    assertThat(read.schema().field("requestedAt").schema().name())
        .isEqualTo(Timestamp.LOGICAL_NAME);
    assertThat(read.schema().field("locale").schema().isOptional()).isTrue();
    assertThat(read.schema().field("phone").schema().isOptional()).isFalse();
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("challengeId", SampleRecords.CHALLENGE_ID);
    expected.put("signupId", SampleRecords.SIGNUP_ID);
    expected.put("programId", SampleRecords.PROGRAM);
    expected.put("phone", SampleRecords.PHONE);
    expected.put("method", "REPLY_YES");
    expected.put("locale", "fr-FR");
    expected.put("channel", "WEB_FORM");
    expected.put("consentTextSha256", confirmed.getConsentTextSha256());
    expected.put("requestedAt", Date.from(SampleRecords.SIGNED_UP_AT));
    expected.put("confirmedAt", Date.from(SampleRecords.SIGNED_UP_AT.plusSeconds(95)));
    expected.put("confirmedVia", null);
    assertThat(fields(struct)).isEqualTo(expected);
  }

  @Test
  void shouldReadEveryRecordTypeOfTheCatalogueWithEachFieldOfItsSchema() {
    for (SpecificRecord record : SampleRecords.oneOfEach()) {
      // Given a sample of the type, written like the services write it
      String topic = "sample." + record.getSchema().getName();
      byte[] bytes = serializer.serialize(topic, record);

      // When the converter reads it
      SchemaAndValue read = converter.toConnectData(topic, bytes);

      // Then the struct holds each field of the record, nested records as structs
      assertThat(read.value()).as(topic).isInstanceOf(Struct.class);
      ((Struct) read.value()).validate();
      assertMatches((Struct) read.value(), toGeneric(record), topic);
    }
  }

  @Test
  void shouldReadATombstoneAsANullValue() {
    // Given a tombstone of the status topic (a START, an erasure)
    // When the converter reads it
    SchemaAndValue read = converter.toConnectData(Topics.SUBSCRIBER_STATUS.name(), null);

    // Then the value and its schema are null, which a sink deletes on
    assertThat(read).isEqualTo(SchemaAndValue.NULL);
  }

  @Test
  void shouldRefuseBytesThatAreNotTheConfluentWireFormat() {
    // Given a value with no magic byte
    byte[] plain = "{\"phone\":\"+14155550123\"}".getBytes();

    // When it is read, then the failure names the topic and the format
    assertThatThrownBy(() -> converter.toConnectData(Topics.SUBSCRIBER_STATUS.name(), plain))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(Topics.SUBSCRIBER_STATUS.name())
        .hasMessageContaining("magic byte");
  }

  @Test
  void shouldRefuseToWrite() {
    // Given a status struct
    SubscriberStatus status = SampleRecords.subscriberStatus();
    String topic = Topics.SUBSCRIBER_STATUS.name();
    SchemaAndValue read = converter.toConnectData(topic, serializer.serialize(topic, status));

    // When it is written back, then the converter says it only reads
    assertThatThrownBy(() -> converter.fromConnectData(topic, read.schema(), read.value()))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("only reads");
  }

  private static Map<String, Object> fields(Struct struct) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (Field field : struct.schema().fields()) {
      fields.put(field.name(), struct.get(field));
    }
    return fields;
  }

  private static GenericRecord toGeneric(SpecificRecord record) {
    GenericData.Record generic = new GenericData.Record(record.getSchema());
    for (org.apache.avro.Schema.Field field : record.getSchema().getFields()) {
      generic.put(field.name(), record.get(field.pos()));
    }
    return generic;
  }

  /** Every field of the struct is the record's, by name; nested records compared field by field. */
  private static void assertMatches(Struct struct, GenericRecord record, String where) {
    assertThat(struct.schema().fields().stream().map(Field::name).toList())
        .as(where)
        .isEqualTo(record.getSchema().getFields().stream().map(f -> f.name()).toList());
    for (Field field : struct.schema().fields()) {
      Object value = struct.get(field);
      Object avro = record.get(field.name());
      String at = where + "." + field.name();
      if (avro == null) {
        assertThat(value).as(at).isNull();
      } else if (avro instanceof SpecificRecord nested) {
        assertMatches((Struct) value, toGeneric(nested), at);
      } else if (field.schema().type() == Schema.Type.INT64
          && Timestamp.LOGICAL_NAME.equals(field.schema().name())) {
        assertThat(((Date) value).toInstant()).as(at).isEqualTo(avro);
      } else if (field.schema().type() == Schema.Type.STRING) {
        assertThat(value).as(at).isEqualTo(avro.toString());
      } else if (field.schema().type() == Schema.Type.BYTES) {
        java.nio.ByteBuffer buffer = ((java.nio.ByteBuffer) avro).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        assertThat((byte[]) value).as(at).isEqualTo(bytes);
      } else if (field.schema().type() == Schema.Type.ARRAY
          || field.schema().type() == Schema.Type.MAP) {
        assertThat(value).as(at).isNotNull();
      } else {
        assertThat(value).as(at).isEqualTo(avro);
      }
    }
  }
}
