package io.optin.systemtests.health;

import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import io.optin.kit.kafka.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** An embedded broker for the health ITs, with the few topic chores they need. */
final class OnBroker implements AutoCloseable {

  private final EmbeddedKafkaBroker broker;

  private OnBroker(EmbeddedKafkaBroker broker) {
    this.broker = broker;
  }

  static OnBroker start(Path dataDir) throws Exception {
    return new OnBroker(EmbeddedKafkaBroker.builder().port(0).dataDir(dataDir).build().start());
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  void createTopics(List<NewTopic> topics) throws ExecutionException, InterruptedException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin.createTopics(topics).all().get();
    }
  }

  void send(String topic, byte[] key, byte[] value) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  /** Every committed record of a topic (one partition or more), read from the beginning. */
  List<ConsumerRecord<byte[], byte[]>> committed(String topic) throws TimeoutException {
    return new TopicReader(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()),
            Duration.ofSeconds(30))
        .readAll(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public void close() {
    broker.close();
  }
}
