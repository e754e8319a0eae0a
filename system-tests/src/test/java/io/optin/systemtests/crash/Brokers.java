package io.optin.systemtests.crash;

import io.optin.devkit.DevSettings;
import io.optin.devkit.DevStack;
import io.optin.kit.config.Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

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

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
