package io.optin.devkit.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * The JVM of one {@link ClusterNode}: formats its log directory on first start, runs the KRaft
 * broker and controller until SIGTERM, or until its parent goes away (end of standard input).
 *
 * <p>Arguments: the node's properties file, the cluster id, the file to write once serving.
 */
public final class ClusterNodeMain {

  private ClusterNodeMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: ClusterNodeMain NODE_PROPERTIES CLUSTER_ID READY_FILE");
      System.exit(2);
    }
    Properties properties = load(Path.of(args[0]));
    int nodeId = Integer.parseInt(properties.getProperty("node.id"));
    new KraftStorage(Path.of(properties.getProperty("log.dirs")))
        .formatOrReuse(nodeId, SingleNodeBrokerConfig.CONTROLLER_LISTENER, args[1]);
    KafkaRaftServer server =
        new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.shutdown();
                  server.awaitShutdown();
                },
                "cluster-node-shutdown"));
    watchParent();
    try {
      server.startup();
    } catch (RuntimeException e) {
      // Kafka's own threads would keep a half-started node alive: it dies whole instead.
      e.printStackTrace();
      Runtime.getRuntime().halt(1);
    }
    // Written after startup returns: the broker is then unfenced and serves clients.
    Files.writeString(Path.of(args[2]), Long.toString(ProcessHandle.current().pid()));
    System.out.println("cluster node " + nodeId + " serving");
    System.out.flush();
    server.awaitShutdown();
  }

  /**
   * A parent killed without closing the cluster must not leave brokers behind: its end of our
   * standard input closes with it.
   */
  private static void watchParent() {
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // nothing is ever sent: only the end matters
                }
              } catch (IOException e) {
                // a broken pipe is the parent's end too
              }
              System.exit(0);
            },
            "cluster-node-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static Properties load(Path file) {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
    return properties;
  }
}
