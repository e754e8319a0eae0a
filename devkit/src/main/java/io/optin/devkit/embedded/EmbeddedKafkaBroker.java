package io.optin.devkit.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft broker and controller in one process) running inside this JVM.
 *
 * <p>The data directory survives restarts: a directory formatted before is reused with its cluster
 * id, so topics and committed records are still there after {@link #close()} and a new {@link
 * #start()}. Without a data directory a temporary one is used and deleted on close. Port 0 picks a
 * free port.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final int NODE_ID = 1;

  /** Starts tried when a port chosen free was taken before the broker bound it. */
  private static final int PORT_ATTEMPTS = 5;

  private final String host;
  private final String advertisedHost;
  private final int requestedPort;
  private final int requestedControllerPort;
  private final Path dataDir;
  private final boolean temporaryDataDir;
  private final Map<String, String> extraProperties;

  /** A free port other than the one given (-1: none to avoid). */
  private final IntUnaryOperator freePorts;

  private KafkaRaftServer server;
  private int port;
  private String clusterId;

  private EmbeddedKafkaBroker(Builder builder) {
    this.host = builder.host;
    this.advertisedHost =
        builder.advertisedHost != null
            ? builder.advertisedHost
            : isWildcard(builder.host) ? "127.0.0.1" : builder.host;
    this.requestedPort = builder.port;
    this.requestedControllerPort = builder.controllerPort;
    this.temporaryDataDir = builder.dataDir == null;
    this.dataDir = temporaryDataDir ? createTemporaryDirectory() : builder.dataDir.toAbsolutePath();
    this.extraProperties = Map.copyOf(builder.extraProperties);
    this.freePorts =
        builder.freePorts != null ? builder.freePorts : avoid -> LocalPorts.free(host, avoid);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Formats the data directory when it is new, then starts the broker and waits until it serves.
   */
  public synchronized EmbeddedKafkaBroker start() {
    if (server != null) {
      throw new IllegalStateException("The broker is already running on " + bootstrapServers());
    }
    for (int attempt = 1; ; attempt++) {
      port = choosePort(requestedPort, -1, "client");
      int controllerPort = choosePort(requestedControllerPort, port, "controller");
      try {
        return startOn(controllerPort);
      } catch (RuntimeException e) {
        // A port chosen free is released until Kafka binds it: another process (or a client's
        // outgoing connection) can take it meanwhile. Only a port chosen here can be chosen again.
        boolean chosenHere = requestedPort == 0 || requestedControllerPort == 0;
        if (!chosenHere || attempt >= PORT_ATTEMPTS || !isBindFailure(e)) {
          throw e;
        }
        LOG.warn(
            "Kafka broker could not bind a port chosen free ({}); choosing again ({} of {})",
            rootMessage(e),
            attempt + 1,
            PORT_ATTEMPTS);
      }
    }
  }

  private EmbeddedKafkaBroker startOn(int controllerPort) {
    clusterId =
        new KraftStorage(dataDir)
            .formatOrReuse(NODE_ID, SingleNodeBrokerConfig.CONTROLLER_LISTENER);
    Properties properties =
        SingleNodeBrokerConfig.properties(
            NODE_ID,
            new SingleNodeBrokerConfig.Endpoints(host, advertisedHost, port, controllerPort),
            dataDir,
            extraProperties);
    KafkaRaftServer starting =
        new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
    try {
      starting.startup();
    } catch (RuntimeException e) {
      try {
        stop(starting);
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    server = starting;
    LOG.info(
        "Kafka broker serving {} (cluster {}, data in {})", bootstrapServers(), clusterId, dataDir);
    return this;
  }

  /** {@code host:port} of the running broker, for {@code bootstrap.servers}. */
  public synchronized String bootstrapServers() {
    if (server == null) {
      throw new IllegalStateException("The broker is not running");
    }
    return advertisedHost + ":" + port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /**
   * The cluster id stored in the data directory; identical across restarts on the same directory.
   */
  public synchronized String clusterId() {
    if (clusterId == null) {
      throw new IllegalStateException("The broker was never started");
    }
    return clusterId;
  }

  /** Shuts the broker down cleanly; deletes the data directory only when it was a temporary one. */
  @Override
  public synchronized void close() {
    if (server != null) {
      stop(server);
      server = null;
      LOG.info("Kafka broker on {}:{} stopped", advertisedHost, port);
    }
    if (temporaryDataDir) {
      deleteRecursively(dataDir);
    }
  }

  private int choosePort(int requested, int avoid, String purpose) {
    if (requested == 0) {
      return freePorts.applyAsInt(avoid);
    }
    LocalPorts.requireFree(host, requested, purpose);
    return requested;
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.toString();
  }

  private static void stop(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }

  private static boolean isWildcard(String host) {
    return host.isEmpty() || "0.0.0.0".equals(host) || "::".equals(host);
  }

  private static Path createTemporaryDirectory() {
    try {
      return Files.createTempDirectory("optin-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a temporary Kafka data directory", e);
    }
  }

  private static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.warn("Could not delete temporary Kafka data directory {}", directory, e);
    }
  }

  /**
   * Options of an embedded broker; defaults: 127.0.0.1:9092, free controller port, temporary data.
   */
  public static final class Builder {
    private String host = "127.0.0.1";
    private String advertisedHost;
    private int port = 9092;
    private int controllerPort = 0;
    private Path dataDir;
    private final Map<String, String> extraProperties = new LinkedHashMap<>();
    private IntUnaryOperator freePorts;

    private Builder() {}

    /** Where ports to choose come from (tests: a port somebody takes before the broker binds). */
    Builder freePorts(IntUnaryOperator freePorts) {
      this.freePorts = Objects.requireNonNull(freePorts, "freePorts");
      return this;
    }

    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * The host clients are told to connect to; defaults to {@code host}, or 127.0.0.1 when {@code
     * host} is a wildcard such as 0.0.0.0.
     */
    public Builder advertisedHost(String advertisedHost) {
      this.advertisedHost = Objects.requireNonNull(advertisedHost, "advertisedHost");
      return this;
    }

    /** The client port; 0 picks a free one. */
    public Builder port(int port) {
      this.port = checkPort(port);
      return this;
    }

    /** The KRaft controller port; 0 (the default) picks a free one. */
    public Builder controllerPort(int controllerPort) {
      this.controllerPort = checkPort(controllerPort);
      return this;
    }

    /** A directory that survives restarts; formatted on first use, reused afterwards. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
      return this;
    }

    /** A broker setting that overrides the single-node defaults. */
    public Builder property(String name, String value) {
      extraProperties.put(
          Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder properties(Map<String, String> properties) {
      properties.forEach(this::property);
      return this;
    }

    public EmbeddedKafkaBroker build() {
      return new EmbeddedKafkaBroker(this);
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("Port must be between 0 and 65535: " + port);
      }
      return port;
    }
  }
}
