package io.optin.devkit.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node (broker and controller) of a {@link LocalCluster}, in a JVM of its own so that it can be
 * killed like a crashed machine: {@link #kill()} is SIGKILL; {@link #restart()} starts it again on
 * the same ports and log directory.
 */
public final class ClusterNode {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
  static final Duration START_WAIT = Duration.ofSeconds(120);
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final int id;
  private final String host;
  private final int port;
  private final Path directory;
  private final String clusterId;
  private final List<String> jvmOptions;
  private Process process;
  private OutputStream parentEnd;
  private int starts;

  ClusterNode(
      int id, String host, int port, Path directory, String clusterId, List<String> jvmOptions) {
    this.id = id;
    this.host = host;
    this.port = port;
    this.directory = directory;
    this.clusterId = clusterId;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** The Kafka node id ({@code node.id}): 1 to the cluster's size. */
  public int id() {
    return id;
  }

  /** {@code host:port} of this node's client listener. */
  public String bootstrapServer() {
    return host + ":" + port;
  }

  public int port() {
    return port;
  }

  /** The node's log directory ({@code log.dirs}), kept across restarts. */
  public Path logDir() {
    return directory.resolve("node-" + id);
  }

  /** Where the node's JVM writes its output (appended to across restarts). */
  public Path log() {
    return directory.resolve("node-" + id + ".log");
  }

  /** Whether the node's process runs. */
  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The operating system's id of the running process. */
  public synchronized long pid() {
    requireAlive();
    return process.pid();
  }

  /** SIGKILL, as a machine dying: no clean shutdown; waits until the process is gone. */
  public synchronized void kill() {
    requireAlive();
    process.destroyForcibly();
    awaitExit(STOP_WAIT);
    LOG.info("cluster node {} killed (SIGKILL)", id);
  }

  /** SIGTERM, a clean shutdown; SIGKILL if it has not stopped within 30 s. */
  public synchronized void stop() {
    if (!isAlive()) {
      return;
    }
    process.destroy();
    if (!waitFor(STOP_WAIT)) {
      process.destroyForcibly();
      awaitExit(STOP_WAIT);
    }
    closeParentEnd();
    LOG.info("cluster node {} stopped", id);
  }

  /**
   * Starts the node again on its ports and log directory (stopping it cleanly first when it runs),
   * and waits until it serves clients again.
   */
  public void restart() {
    stop();
    launch();
    awaitServing(START_WAIT);
  }

  /** Starts the process; {@link #awaitServing} waits for it. */
  synchronized void launch() {
    if (isAlive()) {
      throw new IllegalStateException("cluster node " + id + " already runs");
    }
    starts++;
    try {
      Files.deleteIfExists(readyFile());
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(ClusterNodeMain.class.getName());
      command.add(propertiesFile().toString());
      command.add(clusterId);
      command.add(readyFile().toString());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(Redirect.appendTo(log().toFile()))
              .redirectInput(Redirect.PIPE);
      process = builder.start();
      // Kept open for the node's life: its end tells the node that this JVM is gone.
      parentEnd = process.getOutputStream();
      LOG.info("cluster node {} starting (pid {}), log {}", id, process.pid(), log());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start cluster node " + id, e);
    }
  }

  /** Waits until the started node serves clients (registered and unfenced); fails if it exits. */
  void awaitServing(Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!Files.exists(readyFile())) {
      Process running;
      synchronized (this) {
        running = process;
      }
      if (running == null || !running.isAlive()) {
        throw new IllegalStateException(
            "cluster node " + id + " exited while starting, see " + log());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "cluster node " + id + " did not serve within " + atMost + ", see " + log());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while cluster node " + id + " started", e);
      }
    }
    LOG.info("cluster node {} serving {} (start {})", id, bootstrapServer(), starts);
  }

  /** Writes the node's broker settings where its JVM reads them. */
  void writeProperties(Properties properties) {
    try (OutputStream out = Files.newOutputStream(propertiesFile())) {
      properties.store(out, "optin local cluster node " + id);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + propertiesFile(), e);
    }
  }

  /** Asks the node to stop (SIGTERM) without waiting: a whole cluster stops side by side. */
  synchronized void signalStop() {
    if (isAlive()) {
      process.destroy();
    }
  }

  private Path propertiesFile() {
    return directory.resolve("node-" + id + ".properties");
  }

  private Path readyFile() {
    return directory.resolve("node-" + id + ".serving");
  }

  private void requireAlive() {
    if (!isAlive()) {
      throw new IllegalStateException("cluster node " + id + " is not running");
    }
  }

  private boolean waitFor(Duration atMost) {
    try {
      return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return false;
    }
  }

  private void awaitExit(Duration atMost) {
    if (!waitFor(atMost)) {
      throw new IllegalStateException("cluster node " + id + " did not exit, see " + log());
    }
    closeParentEnd();
  }

  private void closeParentEnd() {
    if (parentEnd != null) {
      try {
        parentEnd.close();
      } catch (IOException e) {
        // the process is gone: nothing left to tell it
      }
      parentEnd = null;
    }
  }
}
