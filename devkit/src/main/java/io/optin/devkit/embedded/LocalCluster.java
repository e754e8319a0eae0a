package io.optin.devkit.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka cluster on this machine for failover tests and trials: N KRaft nodes (each broker and
 * controller, the controller quorum of all N), each in a JVM of its own on 127.0.0.1, so that one
 * can be killed and restarted while the others serve on.
 *
 * <p>From three nodes on, every topic has three replicas and a write needs two of them ({@code
 * default.replication.factor} 3, {@code min.insync.replicas} 2, likewise the offsets and
 * transaction state topics): one node may die without stopping producers with {@code acks=all}.
 *
 * <p>The data directory keeps each node's log ({@code node-<id>/}), its settings and output ({@code
 * node-<id>.properties}, {@code node-<id>.log}) and the cluster id ({@code cluster.properties}): a
 * cluster started again on it has its topics and records. The nodes stop when {@link #close()} is
 * called, and on their own when this JVM dies.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.start(3, dir)) {
 *   String bootstrap = cluster.bootstrapServers();   // 127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3
 *   cluster.node(2).kill();                            // SIGKILL of node id 2
 *   cluster.node(2).restart();                         // same ports and log directory
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
  private static final String CLUSTER_FILE = "cluster.properties";

  /** Small and quick to start: a test machine runs several nodes beside the services. */
  public static final List<String> DEFAULT_JVM_OPTIONS =
      List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC");

  private final Path dataDir;
  private final String clusterId;
  private final List<ClusterNode> nodes;

  private LocalCluster(Path dataDir, String clusterId, List<ClusterNode> nodes) {
    this.dataDir = dataDir;
    this.clusterId = clusterId;
    this.nodes = List.copyOf(nodes);
  }

  /**
   * Starts {@code nodes} nodes on free ports, in {@code dataDir} (created, or reused with its
   * cluster), and waits until every one serves.
   */
  public static LocalCluster start(int nodes, Path dataDir) {
    return builder(nodes, dataDir).start();
  }

  public static Builder builder(int nodes, Path dataDir) {
    return new Builder(nodes, dataDir);
  }

  /** Every node's {@code host:port}, comma-separated, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return nodes.stream().map(ClusterNode::bootstrapServer).collect(Collectors.joining(","));
  }

  /** The node of Kafka node id {@code nodeId}, 1 to {@link #size()}. */
  public ClusterNode node(int nodeId) {
    if (nodeId < 1 || nodeId > nodes.size()) {
      throw new IllegalArgumentException(
          "no node " + nodeId + " in a cluster of " + nodes.size() + " (ids start at 1)");
    }
    return nodes.get(nodeId - 1);
  }

  public List<ClusterNode> nodes() {
    return nodes;
  }

  public int size() {
    return nodes.size();
  }

  public String clusterId() {
    return clusterId;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Replicas of each topic: {@code default.replication.factor} of the nodes. */
  public int replicationFactor() {
    return ClusterNodeConfig.replicationFactor(nodes.size());
  }

  /** {@code min.insync.replicas} of the nodes. */
  public int minInsyncReplicas() {
    return ClusterNodeConfig.minInsyncReplicas(nodes.size());
  }

  /**
   * Stops every node cleanly side by side (SIGTERM), killing any that has not stopped within 30 s;
   * the data directory stays.
   */
  @Override
  public void close() {
    nodes.forEach(ClusterNode::signalStop);
    nodes.forEach(ClusterNode::stop);
    LOG.info("local Kafka cluster {} stopped, data kept in {}", clusterId, dataDir);
  }

  /** Options of a local cluster; defaults: 127.0.0.1, free client and controller ports. */
  public static final class Builder {
    private final int size;
    private final Path dataDir;
    private String host = "127.0.0.1";
    private int firstPort;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;

    private Builder(int size, Path dataDir) {
      if (size < 1) {
        throw new IllegalArgumentException("a cluster has at least one node: " + size);
      }
      this.size = size;
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath();
    }

    /** The address every node listens on and advertises. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * Client port of node 1; node {@code i} listens on {@code firstPort + i - 1}. 0 (the default)
     * picks free ports.
     */
    public Builder firstPort(int firstPort) {
      if (firstPort < 0 || firstPort + size - 1 > 65535) {
        throw new IllegalArgumentException("no room for " + size + " ports from " + firstPort);
      }
      this.firstPort = firstPort;
      return this;
    }

    /** A broker setting of every node, over the cluster's defaults. */
    public Builder property(String name, String value) {
      properties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** The options of each node's JVM; {@link #DEFAULT_JVM_OPTIONS} unless set. */
    public Builder jvmOptions(List<String> jvmOptions) {
      this.jvmOptions = List.copyOf(jvmOptions);
      return this;
    }

    /** Starts every node side by side and waits until each one serves. */
    public LocalCluster start() {
      String clusterId = clusterId();
      int[] clientPorts = new int[size];
      int[] controllerPorts = new int[size];
      List<Integer> taken = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        if (firstPort == 0) {
          clientPorts[i] = freeOtherThan(taken);
        } else {
          clientPorts[i] = firstPort + i;
          LocalPorts.requireFree(host, clientPorts[i], "client");
        }
        taken.add(clientPorts[i]);
      }
      for (int i = 0; i < size; i++) {
        controllerPorts[i] = freeOtherThan(taken);
        taken.add(controllerPorts[i]);
      }
      List<ClusterNode> nodes = new ArrayList<>();
      for (int id = 1; id <= size; id++) {
        ClusterNode node =
            new ClusterNode(id, host, clientPorts[id - 1], dataDir, clusterId, jvmOptions);
        node.writeProperties(
            ClusterNodeConfig.properties(
                id, host, clientPorts[id - 1], controllerPorts, node.logDir(), properties));
        nodes.add(node);
      }
      LocalCluster cluster = new LocalCluster(dataDir, clusterId, nodes);
      try {
        // Side by side: a controller quorum forms only once a majority runs.
        nodes.forEach(ClusterNode::launch);
        for (ClusterNode node : nodes) {
          node.awaitServing(ClusterNode.START_WAIT);
        }
        awaitAllRegistered(cluster);
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
      LOG.info(
          "local Kafka cluster {} of {} nodes serving {}, data in {}",
          clusterId,
          size,
          cluster.bootstrapServers(),
          dataDir);
      return cluster;
    }

    private int freeOtherThan(List<Integer> taken) {
      for (int attempt = 0; attempt < 20; attempt++) {
        int port = LocalPorts.free(host, -1);
        if (!taken.contains(port)) {
          return port;
        }
      }
      throw new IllegalStateException("Cannot find a free port on " + host);
    }

    /**
     * The id kept in the data directory, or a new one written there; a directory of a cluster of
     * another size is refused (its controller quorum would not form).
     */
    private String clusterId() {
      Path file = dataDir.resolve(CLUSTER_FILE);
      Properties kept = new Properties();
      try {
        Files.createDirectories(dataDir);
        if (Files.isRegularFile(file)) {
          try (InputStream in = Files.newInputStream(file)) {
            kept.load(in);
          }
          int keptSize = Integer.parseInt(kept.getProperty("nodes"));
          if (keptSize != size) {
            throw new IllegalStateException(
                dataDir
                    + " holds a cluster of "
                    + keptSize
                    + " nodes, not "
                    + size
                    + ": start it with "
                    + keptSize
                    + " nodes, or delete it to start afresh");
          }
          return kept.getProperty("cluster.id");
        }
        kept.setProperty("cluster.id", Uuid.randomUuid().toString());
        kept.setProperty("nodes", Integer.toString(size));
        try (OutputStream out = Files.newOutputStream(file)) {
          kept.store(out, "optin local Kafka cluster");
        }
        return kept.getProperty("cluster.id");
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot keep the cluster id in " + file, e);
      }
    }
  }

  /** Every node in the cluster's metadata: replicated topics can be created with all replicas. */
  private static void awaitAllRegistered(LocalCluster cluster) {
    long deadline = System.nanoTime() + ClusterNode.START_WAIT.toNanos();
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG,
                "optin-local-cluster"))) {
      while (true) {
        int registered = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
        if (registered == cluster.size()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "only " + registered + " of " + cluster.size() + " nodes registered");
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the cluster started", e);
    } catch (Exception e) {
      throw new IllegalStateException("the local cluster did not come up whole", e);
    }
  }
}
