package io.optin.devkit.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Broker settings for one node that is its own controller: every replication factor and min ISR is
 * 1.
 */
final class SingleNodeBrokerConfig {

  static final String BROKER_LISTENER = "PLAINTEXT";
  static final String CONTROLLER_LISTENER = "CONTROLLER";

  /** Where the node listens ({@code host}) and what it tells clients and itself to connect to. */
  record Endpoints(String host, String advertisedHost, int port, int controllerPort) {}

  private SingleNodeBrokerConfig() {}

  /** The single-node defaults, then {@code overrides} on top. */
  static Properties properties(
      int nodeId, Endpoints endpoints, Path dataDir, Map<String, String> overrides) {
    String host = endpoints.host();
    String advertisedHost = endpoints.advertisedHost();
    int port = endpoints.port();
    int controllerPort = endpoints.controllerPort();
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", Integer.toString(nodeId));
    p.setProperty(
        "listeners",
        BROKER_LISTENER
            + "://"
            + host
            + ":"
            + port
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + host
            + ":"
            + controllerPort);
    p.setProperty("advertised.listeners", BROKER_LISTENER + "://" + advertisedHost + ":" + port);
    p.setProperty(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.setProperty("inter.broker.listener.name", BROKER_LISTENER);
    p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
    // A static voter set: the controller port lives in configuration, not in the metadata log,
    // so a restart on the same data directory may use a different free port.
    p.setProperty("controller.quorum.voters", nodeId + "@" + advertisedHost + ":" + controllerPort);
    p.setProperty("log.dirs", dataDir.toString());

    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("default.replication.factor", "1");
    p.setProperty("min.insync.replicas", "1");
    // Fewer internal partitions: a dev broker starts and first-commits faster with 6 than with 50.
    p.setProperty("offsets.topic.num.partitions", "6");
    p.setProperty("transaction.state.log.num.partitions", "6");
    p.setProperty("num.partitions", "6");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    // The cleaner's 128 MB default dedupe buffer is taken from the heap; 2 MB is plenty for one
    // node.
    p.setProperty("log.cleaner.dedupe.buffer.size", "2097152");
    // Topics are created deliberately (optin topics create), never by a typo in a client.
    p.setProperty("auto.create.topics.enable", "false");

    overrides.forEach(p::setProperty);
    return p;
  }
}
