package io.optin.devkit.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.kit.kafka.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LocalClusterIT {

  private static final String TOPIC = "cluster-it.orders";

  @TempDir Path dataDir;

  @Test
  void shouldKeepAcceptingAcksAllWritesWhenTheLeaderIsKilledAndTakeItBackIntoTheIsr()
      throws Exception {
    // Given a three-node cluster and a topic of three replicas
    try (LocalCluster cluster = LocalCluster.start(3, dataDir);
        Admin admin = admin(cluster.bootstrapServers());
        KafkaProducer<String, String> producer = producer(cluster.bootstrapServers())) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) -1))).all().get();
      producer.send(new ProducerRecord<>(TOPIC, "k", "before")).get(30, TimeUnit.SECONDS);
      TopicDescription before = describe(admin);
      int leader = before.partitions().get(0).leader().id();

      // When the partition's leader is killed (SIGKILL) and a record is written with acks=all
      cluster.node(leader).kill();
      producer.send(new ProducerRecord<>(TOPIC, "k", "leader-dead")).get(60, TimeUnit.SECONDS);
      TopicDescription withoutLeader = describe(admin);

      // And the node is restarted on its ports and log directory
      cluster.node(leader).restart();
      producer.send(new ProducerRecord<>(TOPIC, "k", "leader-back")).get(30, TimeUnit.SECONDS);

      // Then the write went through with two replicas in sync, another node leading
      assertThat(before.partitions().get(0).replicas()).hasSize(3);
      assertThat(before.partitions().get(0).isr()).hasSize(3);
      assertThat(withoutLeader.partitions().get(0).leader().id()).isNotEqualTo(leader);
      assertThat(withoutLeader.partitions().get(0).isr())
          .extracting(Node::id)
          .hasSize(2)
          .doesNotContain(leader);
      // And the restarted node catches up into the ISR again
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> describe(admin).partitions().get(0).isr().size() == 3);
      assertThat(readToEnd(cluster.bootstrapServers()))
          .containsExactly("before", "leader-dead", "leader-back");
      assertThat(cluster.nodes()).allSatisfy(node -> assertThat(node.isAlive()).isTrue());
    }
  }

  @Test
  void shouldReplicateInternalTopicsAndStopEveryNodeOnClose() throws Exception {
    // Given a three-node cluster on free ports
    LocalCluster cluster = LocalCluster.start(3, dataDir);
    List<ClusterNode> nodes = cluster.nodes();
    try (Admin admin = admin(cluster.bootstrapServers())) {
      // When its nodes' configuration is described
      ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "2");
      Config config = admin.describeConfigs(List.of(node)).all().get().get(node);

      // Then each node is a broker of the three, with replicated defaults
      assertThat(admin.describeCluster().nodes().get()).extracting(Node::id).containsOnly(1, 2, 3);
      assertThat(config.get("default.replication.factor").value()).isEqualTo("3");
      assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
      assertThat(config.get("offsets.topic.replication.factor").value()).isEqualTo("3");
      assertThat(config.get("transaction.state.log.replication.factor").value()).isEqualTo("3");
      assertThat(config.get("transaction.state.log.min.isr").value()).isEqualTo("2");
      assertThat(cluster.bootstrapServers().split(",")).hasSize(3);
    } finally {
      cluster.close();
    }
    // And closing the cluster stops every node's process
    assertThat(nodes).allSatisfy(node -> assertThat(node.isAlive()).isFalse());
  }

  private static TopicDescription describe(Admin admin) throws Exception {
    return admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
  }

  private static Admin admin(String bootstrapServers) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  private static KafkaProducer<String, String> producer(String bootstrapServers) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true),
        new StringSerializer(),
        new StringSerializer());
  }

  private static List<String> readToEnd(String bootstrapServers) throws Exception {
    return new TopicReader(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
            Duration.ofSeconds(30))
        .values(TOPIC, new StringDeserializer());
  }
}
