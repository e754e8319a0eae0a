package io.optin.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.OptInStatus;
import io.optin.avro.SignupRequested;
import io.optin.avro.SubscriberStatus;
import io.optin.schemas.SampleRecords;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * Records written with another version of a schema are read through Avro schema resolution, not
 * byte guessing.
 */
class SchemaEvolutionReadTest {

  /** SignupRequested as a first version might have been: no idempotencyKey yet. */
  private static final Schema SIGNUP_REQUESTED_V1 =
      new Schema.Parser()
          .parse(
              """
      {"type": "record", "name": "SignupRequested", "namespace": "io.optin.avro", "fields": [
        {"name": "signupId", "type": "string"},
        {"name": "programId", "type": "string"},
        {"name": "phone", "type": "string"},
        {"name": "evidence", "type": {"type": "record", "name": "ConsentEvidence", "fields": [
          {"name": "consentText", "type": "string"},
          {"name": "consentTextVersion", "type": ["null", "string"], "default": null},
          {"name": "consentTextSha256", "type": "string"},
          {"name": "channel", "type": {"type": "enum", "name": "SourceChannel",
            "symbols": ["UNKNOWN", "WEB_FORM", "MOBILE_APP"], "default": "UNKNOWN"}},
          {"name": "pageUrl", "type": ["null", "string"], "default": null},
          {"name": "ip", "type": ["null", "string"], "default": null},
          {"name": "userAgent", "type": ["null", "string"], "default": null},
          {"name": "locale", "type": "string"}]}},
        {"name": "occurredAt", "type": {"type": "long", "logicalType": "timestamp-millis"}}
      ]}""");

  /**
   * SubscriberStatus as a later version might be: a new status symbol today's code does not know.
   */
  private static final Schema SUBSCRIBER_STATUS_NEXT =
      new Schema.Parser()
          .parse(
              """
      {"type": "record", "name": "SubscriberStatus", "namespace": "io.optin.avro", "fields": [
        {"name": "programId", "type": "string"},
        {"name": "phone", "type": "string"},
        {"name": "status", "type": {"type": "enum", "name": "OptInStatus",
          "symbols": ["UNKNOWN", "PENDING", "CONFIRMED", "OPTED_OUT", "EXPIRED", "REJECTED", "LOCKED", "PAUSED"],
          "default": "UNKNOWN"}},
        {"name": "challengeId", "type": ["null", "string"], "default": null},
        {"name": "reason", "type": ["null", "string"], "default": null},
        {"name": "updatedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "pausedUntil", "type": ["null", "long"], "default": null}
      ]}""");

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final AvroSerdes serdes = new AvroSerdes(registry, true);

  @Test
  void shouldReadAV1SignupWithoutIdempotencyKeyGivingTheFieldItsDefault() throws IOException {
    // Given a signup written by a v1 producer, its schema registered under the topic's subject
    String topic = Topics.SIGNUP_REQUESTS.name();
    int v1Id = registry.register(Topics.SIGNUP_REQUESTS.valueSubject(), SIGNUP_REQUESTED_V1);
    GenericRecord evidence =
        new GenericData.Record(SIGNUP_REQUESTED_V1.getField("evidence").schema());
    evidence.put("consentText", "Yes, text me deals.");
    evidence.put("consentTextSha256", "ab".repeat(32));
    evidence.put(
        "channel",
        new GenericData.EnumSymbol(
            evidence.getSchema().getField("channel").schema(), "MOBILE_APP"));
    evidence.put("locale", "en-US");
    GenericRecord v1 = new GenericData.Record(SIGNUP_REQUESTED_V1);
    v1.put("signupId", "signup-v1");
    v1.put("programId", SampleRecords.PROGRAM);
    v1.put("phone", SampleRecords.PHONE);
    v1.put("evidence", evidence);
    v1.put("occurredAt", SampleRecords.SIGNED_UP_AT.toEpochMilli());

    // When today's code reads it
    SignupRequested read =
        serdes.forTopic(Topics.SIGNUP_REQUESTS).deserializer().deserialize(topic, framed(v1Id, v1));

    // Then the v1 fields are there and the new field has its default
    assertThat(read.getSignupId()).isEqualTo("signup-v1");
    assertThat(read.getPhone()).isEqualTo(SampleRecords.PHONE);
    assertThat(read.getOccurredAt()).isEqualTo(SampleRecords.SIGNED_UP_AT);
    assertThat(read.getEvidence().getChannel()).hasToString("MOBILE_APP");
    assertThat(read.getEvidence().getUserAgent()).isNull();
    assertThat(read.getIdempotencyKey()).isNull();
  }

  @Test
  void shouldLetTheCurrentSchemaJoinASubjectHoldingTheOlderVersion() {
    // Given a subject already holding v1
    int v1Id = registry.register(Topics.SIGNUP_REQUESTS.valueSubject(), SIGNUP_REQUESTED_V1);

    // When today's serializer writes
    byte[] bytes =
        serdes
            .forTopic(Topics.SIGNUP_REQUESTS)
            .serializer()
            .serialize(Topics.SIGNUP_REQUESTS.name(), SampleRecords.signupRequested());

    // Then the registry accepted it as version 2 (BACKWARD compatible), under a new id
    assertThat(registry.versionIds(Topics.SIGNUP_REQUESTS.valueSubject()))
        .hasSize(2)
        .startsWith(v1Id);
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isNotEqualTo(v1Id);
  }

  @Test
  void shouldReadAnUnknownEnumSymbolFromANewerWriterAsTheEnumDefault() throws IOException {
    // Given a status written by a newer producer with a symbol and a field today's code does not
    // know
    int nextId = registry.register("newer-producer", SUBSCRIBER_STATUS_NEXT);
    GenericRecord next = new GenericData.Record(SUBSCRIBER_STATUS_NEXT);
    next.put("programId", SampleRecords.PROGRAM);
    next.put("phone", SampleRecords.PHONE);
    next.put(
        "status",
        new GenericData.EnumSymbol(SUBSCRIBER_STATUS_NEXT.getField("status").schema(), "PAUSED"));
    next.put("updatedAt", SampleRecords.SIGNED_UP_AT.toEpochMilli());
    next.put("pausedUntil", SampleRecords.SIGNED_UP_AT.plusSeconds(3600).toEpochMilli());

    // When today's code reads it
    SubscriberStatus read =
        serdes
            .forTopic(Topics.SUBSCRIBER_STATUS)
            .deserializer()
            .deserialize(Topics.SUBSCRIBER_STATUS.name(), framed(nextId, next));

    // Then the unknown symbol falls back to UNKNOWN and the unknown field is skipped
    assertThat(read.getStatus()).isEqualTo(OptInStatus.UNKNOWN);
    assertThat(read.getUpdatedAt()).isEqualTo(SampleRecords.SIGNED_UP_AT);
  }

  @Test
  void shouldRefuseARecordOfAnotherTypeNamingTheTopicAndId() {
    // Given a SubscriberStatus record on the signup topic (a producer mixed up its topics)
    byte[] bytes =
        serdes
            .forTopic(Topics.SUBSCRIBER_STATUS)
            .serializer()
            .serialize(Topics.SIGNUP_REQUESTS.name(), SampleRecords.subscriberStatus());

    // When the signup deserializer reads it
    // Then the error says which topic, which schema id and why it cannot be read
    assertThatThrownBy(
            () ->
                serdes
                    .forTopic(Topics.SIGNUP_REQUESTS)
                    .deserializer()
                    .deserialize(Topics.SIGNUP_REQUESTS.name(), bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic '" + Topics.SIGNUP_REQUESTS.name() + "'")
        .hasMessageContaining("schema id " + ByteBuffer.wrap(bytes, 1, 4).getInt())
        .hasMessageContaining("cannot be read as io.optin.avro.SignupRequested")
        .hasMessageContaining("NAME_MISMATCH");
  }

  private static byte[] framed(int schemaId, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
