package io.optin.devkit.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import io.optin.devkit.embedded.SharedBroker;
import io.optin.schemas.SampleRecords;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroDeserializer;
import io.optin.schemas.serde.AvroSerializer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every record of the contract travels producer -> broker -> consumer in the Confluent wire format,
 * with its schema registered in and fetched from the embedded registry over real HTTP by clients
 * configured with Confluent's own setting names.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(SharedBroker.class)
class AvroSerdeThroughEmbeddedRegistryIT {

  private static EmbeddedKafkaBroker broker;
  private static EmbeddedSchemaRegistry registry;

  @BeforeAll
  static void start(EmbeddedKafkaBroker shared) throws Exception {
    // The catalogue's topics and the default registry topic: no other class on the shared broker
    // uses them.
    broker = shared;
    registry = EmbeddedSchemaRegistry.builder(broker.bootstrapServers()).port(0).build().start();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      List<NewTopic> topics = new ArrayList<>();
      for (Topic<?> topic : Topics.all()) {
        topics.add(new NewTopic(topic.name(), 1, (short) 1).configs(topic.configs()));
      }
      admin.createTopics(topics).all().get();
    }
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @Test
  void shouldRoundTripEveryRecordOfEveryTopicThroughTheBrokerAndTheRegistry() {
    // Given one realistic record per topic of the catalogue
    Map<String, Object> serdeConfig = Map.of("schema.registry.url", registry.url());
    List<ProducerRecord<String, SpecificRecord>> sent = new ArrayList<>();
    for (Topic<?> topic : Topics.all()) {
      sent.add(new ProducerRecord<>(topic.name(), "+14155550123", sampleOf(topic.valueType())));
    }

    // When they are produced with our serializer and consumed with our deserializer (fresh clients
    // each side)
    try (KafkaProducer<String, SpecificRecord> producer = producer(serdeConfig)) {
      sent.forEach(producer::send);
      producer.flush();
    }
    List<ConsumerRecord<String, SpecificRecord>> received = consumeAll(serdeConfig, sent.size());

    // Then every record comes back equal, as its generated class, on its topic
    assertThat(received).hasSize(sent.size());
    for (ProducerRecord<String, SpecificRecord> record : sent) {
      assertThat(received)
          .filteredOn(r -> r.topic().equals(record.topic()))
          .singleElement()
          .satisfies(r -> assertThat(r.value()).isEqualTo(record.value()));
    }
    // And each value schema sits under its TopicNameStrategy subject in the registry
    RegistryHttp http = new RegistryHttp(registry.url());
    for (Topic<?> topic : Topics.all()) {
      assertThat(http.get("/subjects/" + topic.valueSubject() + "/versions").json().toString())
          .isEqualTo("[1]");
    }
  }

  @Test
  void shouldRefuseARecordWhoseSchemaIdTheRegistryDoesNotKnow() {
    // Given bytes in the wire format that name schema id 987654
    byte[] framed =
        ByteBuffer.allocate(7).put((byte) 0).putInt(987_654).put(new byte[] {2, 'x'}).array();
    AvroDeserializer<SpecificRecord> deserializer = new AvroDeserializer<>();
    deserializer.configure(Map.of("schema.registry.url", registry.url()), false);

    // When they are read, Then the error names the id and the topic
    assertThatThrownBy(() -> deserializer.deserialize(Topics.SMS_INBOUND.name(), framed))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("987654")
        .hasMessageContaining(Topics.SMS_INBOUND.name());
  }

  private static SpecificRecord sampleOf(Class<?> type) {
    return SampleRecords.oneOfEach().stream()
        .filter(type::isInstance)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample record of " + type.getName()));
  }

  private static KafkaProducer<String, SpecificRecord> producer(Map<String, Object> serdeConfig) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
    serializer.configure(serdeConfig, false);
    return new KafkaProducer<>(props, new StringSerializer(), serializer);
  }

  private static List<ConsumerRecord<String, SpecificRecord>> consumeAll(
      Map<String, Object> serdeConfig, int count) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "serde-it");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    AvroDeserializer<SpecificRecord> deserializer = new AvroDeserializer<>();
    deserializer.configure(serdeConfig, false);
    List<ConsumerRecord<String, SpecificRecord>> received = new ArrayList<>();
    try (KafkaConsumer<String, SpecificRecord> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), deserializer)) {
      consumer.subscribe(Topics.all().stream().map(Topic::name).toList());
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (received.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
      }
    }
    return received;
  }
}
