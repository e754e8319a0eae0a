package io.optin.devkit.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.kit.kafka.TopicReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EmbeddedKafkaBrokerIT {

  private static final String TOPIC = "broker-it.orders";

  @TempDir Path dataDir;

  @Test
  void shouldDeliverOnlyCommittedTransactionsToReadCommittedConsumers() throws Exception {
    // Given a broker on free ports and a topic
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder().port(0).dataDir(dataDir).build().start()) {
      createTopic(broker.bootstrapServers());

      // When one transaction commits, the next aborts and a third commits
      try (KafkaProducer<String, String> producer =
          transactionalProducer(broker.bootstrapServers())) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(TOPIC, "k", "committed-1"));
        producer.send(new ProducerRecord<>(TOPIC, "k", "committed-2"));
        producer.commitTransaction();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(TOPIC, "k", "aborted-1")).get();
        producer.abortTransaction();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(TOPIC, "k", "committed-3"));
        producer.commitTransaction();
      }

      // Then read_committed sees exactly the committed records, while the aborted one was written
      assertThat(readToEnd(broker.bootstrapServers(), "read_committed"))
          .containsExactly("committed-1", "committed-2", "committed-3");
      assertThat(readToEnd(broker.bootstrapServers(), "read_uncommitted"))
          .containsExactly("committed-1", "committed-2", "aborted-1", "committed-3");
      assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:").doesNotEndWith(":0");
    }
  }

  @Test
  void shouldKeepCommittedRecordsAndClusterIdAcrossRestartOnTheSameDataDir() throws Exception {
    // Given a broker that committed records, then stopped
    String firstClusterId;
    try (EmbeddedKafkaBroker first =
        EmbeddedKafkaBroker.builder().port(0).dataDir(dataDir).build().start()) {
      firstClusterId = first.clusterId();
      createTopic(first.bootstrapServers());
      try (KafkaProducer<String, String> producer =
          transactionalProducer(first.bootstrapServers())) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(TOPIC, "k", "before-restart"));
        producer.commitTransaction();
      }
    }

    // When a new broker starts on the same data directory
    try (EmbeddedKafkaBroker second =
        EmbeddedKafkaBroker.builder().port(0).dataDir(dataDir).build().start()) {
      // Then it is the same cluster, not a reformatted one, and the committed record is still there
      assertThat(second.clusterId()).isEqualTo(firstClusterId);
      assertThat(second.dataDir()).isEqualTo(dataDir.toAbsolutePath());
      assertThat(readToEnd(second.bootstrapServers(), "read_committed"))
          .containsExactly("before-restart");
    }
  }

  @Test
  void shouldApplySingleNodeDefaultsAndLetPropertiesOverrideThem() throws Exception {
    // Given a broker with one default overridden
    try (EmbeddedKafkaBroker broker =
            EmbeddedKafkaBroker.builder()
                .port(0)
                .property("log.retention.hours", "5")
                .build()
                .start();
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      // When its configuration is described
      ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
      Config config = admin.describeConfigs(List.of(node)).all().get().get(node);

      // Then the single-node defaults and the override are in force
      assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
      assertThat(config.get("num.partitions").value()).isEqualTo("6");
      assertThat(config.get("offsets.topic.replication.factor").value()).isEqualTo("1");
      assertThat(config.get("transaction.state.log.min.isr").value()).isEqualTo("1");
      assertThat(config.get("log.cleaner.dedupe.buffer.size").value()).isEqualTo("2097152");
      assertThat(config.get("log.retention.hours").value()).isEqualTo("5");
      assertThat(admin.describeCluster().nodes().get()).hasSize(1);
    }
  }

  @Test
  void shouldListenOnEveryInterfaceAndAdvertiseTheLoopbackAddress() throws Exception {
    // Given a broker bound to the wildcard address
    try (EmbeddedKafkaBroker broker =
            EmbeddedKafkaBroker.builder().host("0.0.0.0").port(0).build().start();
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      // When a client connects through the advertised address, then it reaches the node
      assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
      assertThat(admin.describeCluster().nodes().get())
          .singleElement()
          .satisfies(node -> assertThat(node.host()).isEqualTo("127.0.0.1"));
    }
  }

  @Test
  void shouldRefuseATakenPortWithAMessageNamingIt() throws Exception {
    // Given a port somebody else listens on
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        EmbeddedKafkaBroker broker =
            EmbeddedKafkaBroker.builder().port(taken.getLocalPort()).build()) {

      // When a broker is started on it, then it refuses, naming the port
      assertThatThrownBy(broker::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
          .hasMessageContaining("already in use");
    }
  }

  @Test
  void shouldChooseAgainWhenAPortChosenFreeIsTakenBeforeTheBrokerBindsIt() throws Exception {
    // Given a port that is free when chosen, then taken by another process before the broker binds
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      AtomicInteger choices = new AtomicInteger();
      EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder().port(0).dataDir(dataDir);
      builder.freePorts(
          avoid ->
              choices.incrementAndGet() == 1
                  ? taken.getLocalPort()
                  : LocalPorts.free("127.0.0.1", avoid));

      // When the broker starts
      try (EmbeddedKafkaBroker broker = builder.build().start();
          Admin admin =
              Admin.create(
                  Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {

        // Then it chose again and serves on another port
        assertThat(choices.get()).isGreaterThan(2);
        assertThat(broker.bootstrapServers()).isNotEqualTo("127.0.0.1:" + taken.getLocalPort());
        assertThat(admin.describeCluster().nodes().get()).hasSize(1);
      }
    }
  }

  private static void createTopic(String bootstrapServers) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
    }
  }

  private static KafkaProducer<String, String> transactionalProducer(String bootstrapServers) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "broker-it-tx",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.ACKS_CONFIG,
            "all"),
        new StringSerializer(),
        new StringSerializer());
  }

  /** Every value a consumer of that isolation level sees up to the partition's end offset. */
  private static List<String> readToEnd(String bootstrapServers, String isolationLevel)
      throws Exception {
    TopicReader committed =
        new TopicReader(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
            Duration.ofSeconds(30));
    TopicReader reader =
        isolationLevel.equals("read_committed") ? committed : committed.includingUncommitted();
    return reader.values(TOPIC, new StringDeserializer());
  }
}
