package io.optin.devkit.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Broker settings for one node of a local cluster whose every node is broker and controller: the
 * single-node settings, a controller quorum of all the nodes, and replicated internal topics
 * (replication factor 3 and min ISR 2 from three nodes on).
 */
final class ClusterNodeConfig {

  private ClusterNodeConfig() {}

  /** Replicas of every topic of a cluster of {@code nodes}: all of them, at most three. */
  static int replicationFactor(int nodes) {
    return Math.min(3, nodes);
  }

  /** Replicas that must have a write: two of three, so one node may die without a stop. */
  static int minInsyncReplicas(int nodes) {
    return replicationFactor(nodes) >= 3 ? 2 : 1;
  }

  /**
   * @param controllerPorts the controller port of node id {@code i + 1} at index {@code i}
   */
  static Properties properties(
      int nodeId,
      String host,
      int port,
      int[] controllerPorts,
      Path logDir,
      Map<String, String> overrides) {
    int nodes = controllerPorts.length;
    String rf = Integer.toString(replicationFactor(nodes));
    String minIsr = Integer.toString(minInsyncReplicas(nodes));
    Properties p =
        SingleNodeBrokerConfig.properties(
            nodeId,
            new SingleNodeBrokerConfig.Endpoints(host, host, port, controllerPorts[nodeId - 1]),
            logDir,
            Map.of());
    // A static voter set, as for one node: each node's controller port lives in configuration.
    p.setProperty(
        "controller.quorum.voters",
        IntStream.range(0, nodes)
            .mapToObj(i -> (i + 1) + "@" + host + ":" + controllerPorts[i])
            .collect(Collectors.joining(",")));
    p.setProperty("default.replication.factor", rf);
    p.setProperty("min.insync.replicas", minIsr);
    p.setProperty("offsets.topic.replication.factor", rf);
    p.setProperty("transaction.state.log.replication.factor", rf);
    p.setProperty("transaction.state.log.min.isr", minIsr);
    p.setProperty("share.coordinator.state.topic.replication.factor", rf);
    p.setProperty("share.coordinator.state.topic.min.isr", minIsr);
    overrides.forEach(p::setProperty);
    return p;
  }
}
