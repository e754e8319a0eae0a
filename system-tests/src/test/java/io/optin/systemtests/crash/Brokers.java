package io.optin.systemtests.crash;

import io.optin.devkit.DevSettings;
import io.optin.devkit.DevStack;
import io.optin.devkit.embedded.ClusterNode;
import io.optin.devkit.embedded.LocalCluster;
import io.optin.kit.config.Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The Kafka cluster and the Schema Registry a scale-out test runs against, every topic created,
 * where one broker can be killed mid-flight and restarted on its port and data.
 */
interface Brokers extends AutoCloseable {

  String bootstrapServers();

  String registryUrl();

  /** Replicas of each topic: what {@code topics.replication.factor} the services are given. */
  int replicationFactor();

  /** What runs, for the report: "3 KRaft brokers in processes of their own"… */
  String describe();

  /** Kills one broker (the one leading most partitions when the fixture can tell); its name. */
  String killOne();

  /** Starts the killed broker again on its port and data. */
  void restartKilled();

  @Override
  void close();

  /**
   * One embedded broker in the test's JVM, stopped (not killed) and started again: the stand-in
   * until a multi-broker cluster of separate processes is available, where a broker's death is an
   * outage of the whole cluster.
   */
  static Brokers single(Path dir, int partitions) throws IOException {
    int brokerPort = freePort();
    DevStack stack =
        DevStack.start(
            Settings.load(
                DevSettings.CATALOGUE,
                Optional.empty(),
                Map.of(
                    "OPTIN_DEV_BROKER_PORT",
                    Integer.toString(brokerPort),
                    "OPTIN_DEV_REGISTRY_PORT",
                    "0",
                    "OPTIN_DEV_DATA_DIR",
                    dir.resolve("broker").toString(),
                    "OPTIN_TOPICS_PARTITIONS",
                    Integer.toString(partitions))));
    return new Brokers() {
      @Override
      public String bootstrapServers() {
        return stack.bootstrapServers();
      }

      @Override
      public String registryUrl() {
        return stack.registryUrl();
      }

      @Override
      public int replicationFactor() {
        return 1;
      }

      @Override
      public String describe() {
        return "1 embedded broker in the test JVM (stopped, not killed)";
      }

      @Override
      public String killOne() {
        stack.stopBroker();
        return "broker-0";
      }

      @Override
      public void restartKilled() {
        stack.startBroker();
      }

      @Override
      public void close() {
        stack.close();
      }
    };
  }

  /**
   * A {@link LocalCluster} of {@code nodes} KRaft brokers, each a process of its own (SIGKILLed and
   * restarted on its ports and log directory), every topic with {@code min(nodes, 3)} replicas, and
   * the Schema Registry in the test's JVM.
   */
  static Brokers cluster(Path dir, int partitions, int nodes) throws IOException {
    DevStack stack =
        DevStack.startCluster(
            Settings.load(
                DevSettings.CATALOGUE,
                Optional.empty(),
                Map.of(
                    "OPTIN_DEV_BROKER_PORT",
                    "0",
                    "OPTIN_DEV_REGISTRY_PORT",
                    "0",
                    "OPTIN_DEV_DATA_DIR",
                    dir.resolve("brokers").toString(),
                    "OPTIN_TOPICS_PARTITIONS",
                    Integer.toString(partitions))),
            nodes);
    LocalCluster cluster = stack.cluster().orElseThrow();
    return new Brokers() {
      private ClusterNode killed;

      @Override
      public String bootstrapServers() {
        return stack.bootstrapServers();
      }

      @Override
      public String registryUrl() {
        return stack.registryUrl();
      }

      @Override
      public int replicationFactor() {
        return cluster.replicationFactor();
      }

      @Override
      public String describe() {
        return cluster.size()
            + " KRaft brokers in processes of their own (replication "
            + cluster.replicationFactor()
            + ", min ISR "
            + cluster.minInsyncReplicas()
            + ")";
      }

      @Override
      public synchronized String killOne() {
        killed = busiest();
        killed.kill();
        return "broker " + killed.id();
      }

      @Override
      public synchronized void restartKilled() {
        killed.restart();
      }

      @Override
      public void close() {
        stack.close();
      }

      /** The node leading most partitions: its death moves the most leadership. */
      private ClusterNode busiest() {
        try (Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
          Map<Integer, Long> leaders =
              admin
                  .describeTopics(admin.listTopics().names().get())
                  .allTopicNames()
                  .get()
                  .values()
                  .stream()
                  .flatMap(topic -> topic.partitions().stream())
                  .filter(p -> p.leader() != null)
                  .collect(Collectors.groupingBy(p -> p.leader().id(), Collectors.counting()));
          int id =
              leaders.entrySet().stream()
                  .max(Map.Entry.comparingByValue())
                  .map(Map.Entry::getKey)
                  .orElse(1);
          return cluster.node(id);
        } catch (ExecutionException e) {
          throw new IllegalStateException("could not describe the topics", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted describing the topics", e);
        }
      }
    };
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
