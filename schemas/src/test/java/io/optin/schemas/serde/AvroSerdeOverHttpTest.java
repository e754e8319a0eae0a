package io.optin.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.SignupRequested;
import io.optin.schemas.SampleRecords;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.FakeConfluentRegistry;
import io.optin.schemas.registry.SchemaRegistryException;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The serdes configured the way Kafka configures Confluent's, talking to a registry over real HTTP.
 */
class AvroSerdeOverHttpTest {

  private static final String TOPIC = Topics.SIGNUP_REQUESTS.name();
  private static final String SUBJECT = Topics.SIGNUP_REQUESTS.valueSubject();

  private final FakeConfluentRegistry registry = FakeConfluentRegistry.start();

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  @Test
  void shouldRegisterOnFirstWriteAndMakeNoHttpCallForLaterRecords() {
    // Given a serde configured from Confluent's keys
    Serde<SignupRequested> serde = new AvroSerde<>(SignupRequested.class);
    serde.configure(Map.of("schema.registry.url", registry.url()), false);

    // When several records are written and read back
    for (int i = 0; i < 5; i++) {
      SignupRequested signup = SampleRecords.signupRequested();
      signup.setSignupId("signup-" + i);
      byte[] bytes = serde.serializer().serialize(TOPIC, signup);
      assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(signup);
    }

    // Then one registration was the only HTTP call: the id and the schema of that id were cached
    assertThat(registry.requests())
        .singleElement()
        .satisfies(
            request -> assertThat(request.path()).isEqualTo("/subjects/" + SUBJECT + "/versions"));
  }

  @Test
  void shouldFetchAWriterSchemaOnceForManyRecords() {
    // Given records written by another process, and a deserializer Kafka built from its class name
    Serializer<SignupRequested> producer = new AvroSerializer<>();
    producer.configure(Map.of("schema.registry.url", registry.url()), false);
    byte[] first = producer.serialize(TOPIC, SampleRecords.signupRequested());
    byte[] second = producer.serialize(TOPIC, SampleRecords.signupRequested());
    Deserializer<SignupRequested> consumer = new AvroDeserializer<>();
    consumer.configure(Map.of("schema.registry.url", registry.url()), false);

    // When the consumer reads them
    SignupRequested a = consumer.deserialize(TOPIC, first);
    SignupRequested b = consumer.deserialize(TOPIC, second);

    // Then they come back as the generated class the writer schema names, with one schema fetch
    assertThat(a).isEqualTo(SampleRecords.signupRequested()).isEqualTo(b);
    assertThat(registry.requests())
        .extracting(FakeConfluentRegistry.Request::path)
        .containsExactly("/subjects/" + SUBJECT + "/versions", "/schemas/ids/1");
  }

  @Test
  void shouldOnlyLookUpTheIdWhenAutoRegisterIsOff() {
    // Given a serializer that may not register, and a schema registered by a deployment step
    Serializer<SignupRequested> serializer = new AvroSerializer<>();
    serializer.configure(
        Map.of("schema.registry.url", registry.url(), "auto.register.schemas", "false"), false);
    int id = registry.store().register(SUBJECT, SignupRequested.getClassSchema());

    // When it writes
    byte[] bytes = serializer.serialize(TOPIC, SampleRecords.signupRequested());

    // Then it used POST /subjects/{subject} (lookup) and the registered id
    assertThat(bytes[4]).isEqualTo((byte) id);
    assertThat(registry.requests())
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.method()).isEqualTo("POST");
              assertThat(request.path()).isEqualTo("/subjects/" + SUBJECT);
            });
  }

  @Test
  void shouldRefuseToWriteAnUnregisteredSchemaWhenAutoRegisterIsOff() {
    // Given a serializer that may not register and an empty registry
    Serializer<SignupRequested> serializer = new AvroSerializer<>();
    serializer.configure(
        Map.of("schema.registry.url", registry.url(), "auto.register.schemas", false), false);

    // Then writing fails naming the subject, and the registry stays empty
    assertThatThrownBy(() -> serializer.serialize(TOPIC, SampleRecords.signupRequested()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("auto.register.schemas=false")
        .hasMessageContaining("subject '" + SUBJECT + "'")
        .hasCauseInstanceOf(SchemaRegistryException.class);
    assertThat(registry.store().subjects()).isEmpty();
  }

  @Test
  void shouldSendBasicAuthConfiguredWithConfluentKeys() {
    // Given a registry requiring credentials and a serializer configured with them
    registry.requireBasicAuth("optin:test-registry-password");
    Serializer<SignupRequested> serializer = new AvroSerializer<>();
    serializer.configure(
        Map.of(
            "schema.registry.url",
            registry.url(),
            "basic.auth.credentials.source",
            "USER_INFO",
            "basic.auth.user.info",
            "optin:test-registry-password"),
        false);

    // When it writes, Then the registry accepted the request
    serializer.serialize(TOPIC, SampleRecords.signupRequested());
    assertThat(registry.store().subjects()).containsExactly(SUBJECT);
  }

  @Test
  void shouldWrapAnUnreachableRegistryInASerializationErrorNamingTopicAndUrl() {
    // Given a serializer whose registry stopped
    Serializer<SignupRequested> serializer = new AvroSerializer<>();
    serializer.configure(Map.of("schema.registry.url", registry.url()), false);
    registry.close();

    // Then writing fails saying which topic and which registry
    assertThatThrownBy(() -> serializer.serialize(TOPIC, SampleRecords.signupRequested()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic '" + TOPIC + "'")
        .hasMessageContaining("Schema Registry at " + registry.url() + " is unreachable");
  }

  @Test
  void shouldRequireTheRegistryUrlWhenConfiguredByKafka() {
    assertThatThrownBy(() -> new AvroSerde<>(SignupRequested.class).configure(Map.of(), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void shouldRefuseAnAutoRegisterThatIsNotABoolean() {
    assertThatThrownBy(
            () ->
                new AvroSerializer<SignupRequested>()
                    .configure(
                        Map.of(
                            "schema.registry.url", registry.url(), "auto.register.schemas", "yes"),
                        false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auto.register.schemas");
  }

  @Test
  void shouldSayWhatIsMissingWhenUsedBeforeConfigure() {
    assertThatThrownBy(() -> new AvroSerde<>(SignupRequested.class).serializer())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not configured");
    assertThatThrownBy(
            () ->
                new AvroSerializer<SignupRequested>()
                    .serialize(TOPIC, SampleRecords.signupRequested()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("schema.registry.url");
  }
}
