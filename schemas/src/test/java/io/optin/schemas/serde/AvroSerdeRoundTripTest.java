package io.optin.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.SignupRequested;
import io.optin.schemas.GeneratedRecords;
import io.optin.schemas.SampleRecords;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every record of the contract survives a trip through the Avro serde unchanged, field for field.
 */
class AvroSerdeRoundTripTest {

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final AvroSerdes serdes = new AvroSerdes(registry, true);

  static List<SpecificRecord> records() {
    return SampleRecords.oneOfEach();
  }

  static List<Topic<?>> topics() {
    return Topics.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void shouldReadBackEveryRecordTypeExactlyAsWritten(SpecificRecord record) {
    // Given a serde of the record's class
    Serde<SpecificRecord> serde = serdeOf(record);
    String topic = "optin.test." + record.getSchema().getName();

    // When it is written and read back
    byte[] bytes = serde.serializer().serialize(topic, record);
    SpecificRecord read = serde.deserializer().deserialize(topic, bytes);

    // Then it is the same record (enums, instants, unions, nested records, bytes included)
    assertThat(read).isInstanceOf(record.getClass()).isEqualTo(record);
    assertThat(registry.subjects()).containsExactly(topic + "-value");
  }

  @Test
  void shouldHaveASampleOfEveryGeneratedRecordClass() {
    // Given the sample records used above, Then no generated record type escapes the round trip
    List<Class<?>> sampled = records().stream().<Class<?>>map(Object::getClass).toList();
    assertThat(sampled).containsExactlyInAnyOrderElementsOf(GeneratedRecords.recordClasses());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topics")
  <V extends SpecificRecord> void shouldCarryEveryTopicOfTheCatalogueUnderItsValueSubject(
      Topic<V> topic) {
    // Given the catalogue's serde of a topic and a record of its value type
    Serde<V> serde = serdes.forTopic(topic);
    V record =
        topic
            .valueType()
            .cast(
                records().stream().filter(topic.valueType()::isInstance).findFirst().orElseThrow());

    // When a record goes through it
    V read =
        serde
            .deserializer()
            .deserialize(topic.name(), serde.serializer().serialize(topic.name(), record));

    // Then it comes back unchanged, registered under the topic's TopicNameStrategy subject
    assertThat(read).isEqualTo(record);
    assertThat(registry.subjects()).containsExactly(topic.valueSubject());
  }

  @Test
  void shouldWriteNullAsNullSoTombstonesStayTombstones() {
    // Given the serde of a compacted topic
    Serde<io.optin.avro.SubscriberStatus> serde = serdes.forTopic(Topics.SUBSCRIBER_STATUS);

    // When a null value is written and null bytes are read
    byte[] bytes = serde.serializer().serialize(Topics.SUBSCRIBER_STATUS.name(), null);

    // Then both stay null and nothing is registered
    assertThat(bytes).isNull();
    assertThat(serde.deserializer().deserialize(Topics.SUBSCRIBER_STATUS.name(), null)).isNull();
    assertThat(registry.subjects()).isEmpty();
  }

  @Test
  void shouldRegisterEachSchemaOnceHoweverManyRecordsAreWritten() {
    // Given the serde of the signup topic
    Serde<SignupRequested> serde = serdes.forTopic(Topics.SIGNUP_REQUESTS);

    // When many records are written
    for (int i = 0; i < 50; i++) {
      SignupRequested signup = SampleRecords.signupRequested();
      signup.setSignupId("signup-" + i);
      serde.serializer().serialize(Topics.SIGNUP_REQUESTS.name(), signup);
    }

    // Then the subject holds a single version
    assertThat(registry.versionIds(Topics.SIGNUP_REQUESTS.valueSubject())).hasSize(1);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Serde<SpecificRecord> serdeOf(SpecificRecord record) {
    return (Serde) serdes.forValue(record.getClass());
  }
}
