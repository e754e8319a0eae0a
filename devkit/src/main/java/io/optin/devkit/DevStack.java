package io.optin.devkit;

import static io.optin.audit.AuditSettings.AUDIT_ARCHIVE_DIR;
import static io.optin.devkit.DevSettings.DEV_BROKER_PORT;
import static io.optin.devkit.DevSettings.DEV_REGISTRY_PORT;
import static io.optin.kit.config.ProcessSettings.KAFKA_BOOTSTRAP_SERVERS;
import static io.optin.kit.config.ProcessSettings.SCHEMA_REGISTRY_URL;
import static io.optin.kit.config.SharedSettings.OTP_SECRET;
import static io.optin.server.DevAuditSecrets.DEV_DATA_DIR;

import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import io.optin.devkit.embedded.LocalCluster;
import io.optin.devkit.registry.EmbeddedSchemaRegistry;
import io.optin.kit.config.Settings;
import io.optin.kit.files.OwnerOnly;
import io.optin.kit.threads.NamedThreads;
import io.optin.server.DevAuditSecrets;
import io.optin.server.ListeningPorts;
import io.optin.server.PortInUseException;
import io.optin.server.topics.ProvisioningReport;
import io.optin.server.topics.TopicProvisioner;
import io.optin.server.topics.TopicProvisioningException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default behind {@code optin dev}: a real single-node Kafka broker (or a {@link
 * LocalCluster} of several, each in its own process), the Schema Registry and every topic of the
 * catalogue, on the ports and in the data directory of the {@code dev.*} settings. It starts whole
 * or not at all.
 */
public final class DevStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);
  private static final String HOST = "127.0.0.1";
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final Brokers broker;
  private final EmbeddedSchemaRegistry registry;
  private final Path dataDir;
  private final ProvisioningReport topics;
  private final Settings serviceSettings;
  private final Map<String, Duration> startupPhases;

  private DevStack(
      Brokers broker,
      EmbeddedSchemaRegistry registry,
      Path dataDir,
      ProvisioningReport topics,
      Settings serviceSettings,
      Map<String, Duration> startupPhases) {
    this.broker = broker;
    this.registry = registry;
    this.dataDir = dataDir;
    this.topics = topics;
    this.serviceSettings = serviceSettings;
    this.startupPhases = Collections.unmodifiableMap(startupPhases);
  }

  /**
   * Starts the broker, creates the topics that are missing, then starts the registry.
   *
   * @throws PortInUseException when a port of the settings is taken
   * @throws TopicProvisioningException when topics kept in the data directory disagree with the
   *     settings
   */
  public static DevStack start(Settings settings) {
    return start(settings, 1);
  }

  /**
   * As {@link #start(Settings)}, on {@code nodes} brokers: one runs in this JVM; more form a {@link
   * LocalCluster}, node {@code i} on port {@code dev.broker.port + i - 1}, kept in {@code
   * kafka-cluster} of the data directory (every topic then has three replicas from three nodes on).
   */
  public static DevStack start(Settings settings, int nodes) {
    return start(settings, nodes, nodes > 1);
  }

  /**
   * As {@link #start(Settings, int)}, always on a {@link LocalCluster}, even of one node: a broker
   * in a process of its own, which a test can kill (SIGKILL) and restart ({@link #cluster()}).
   */
  public static DevStack startCluster(Settings settings, int nodes) {
    return start(settings, nodes, true);
  }

  private static DevStack start(Settings settings, int nodes, boolean separateProcesses) {
    if (nodes < 1) {
      throw new IllegalArgumentException("at least one broker node: " + nodes);
    }
    long startedAt = System.nanoTime();
    Map<String, Duration> phases = new LinkedHashMap<>();
    Path dataDir = ownerOnly(Path.of(settings.string(DEV_DATA_DIR)).toAbsolutePath());
    int brokerPort = settings.integer(DEV_BROKER_PORT);
    for (int node = 0; node < nodes; node++) {
      ListeningPorts.requireFree(HOST, brokerPort == 0 ? 0 : brokerPort + node, DEV_BROKER_PORT);
    }
    ListeningPorts.requireFree(HOST, settings.integer(DEV_REGISTRY_PORT), DEV_REGISTRY_PORT);

    Brokers broker =
        !separateProcesses
            ? new SingleBroker(
                EmbeddedKafkaBroker.builder()
                    .host(HOST)
                    .port(brokerPort)
                    .dataDir(dataDir.resolve("kafka"))
                    .build())
            : new ClusterBrokers(
                LocalCluster.builder(nodes, dataDir.resolve("kafka-cluster"))
                    .host(HOST)
                    .firstPort(brokerPort));
    EmbeddedSchemaRegistry registry = null;
    Future<ProvisioningReport> provisioning = null;
    try {
      broker.start();
      startedAt = phase(phases, "broker (format or reuse, start)", startedAt);
      // The topics and the registry (which has a topic of its own) need only the broker: created
      // side by side, start-up waits for the longer of the two, not for both.
      ExecutorService provisioner =
          Executors.newSingleThreadExecutor(NamedThreads.daemons("optin-dev-topics-"));
      String bootstrap = broker.bootstrapServers();
      provisioning = provisioner.submit(() -> provision(bootstrap, settings, dataDir));
      provisioner.shutdown();
      registry =
          EmbeddedSchemaRegistry.builder(broker.bootstrapServers())
              .host(HOST)
              .port(settings.integer(DEV_REGISTRY_PORT))
              .build()
              .start();
      startedAt = phase(phases, "schema registry (topics created alongside)", startedAt);
      ProvisioningReport topics = awaitTopics(provisioning);
      startedAt = phase(phases, "topics (beyond the registry)", startedAt);
      Settings serviceSettings =
          settings.with(
              Map.of(
                  KAFKA_BOOTSTRAP_SERVERS.key(),
                  broker.bootstrapServers(),
                  SCHEMA_REGISTRY_URL.key(),
                  registry.url()),
              "optin dev");
      if (settings.optional(OTP_SECRET).isEmpty()) {
        serviceSettings =
            serviceSettings.with(
                Map.of(OTP_SECRET.key(), DevOtpSecret.loadOrCreate(dataDir)),
                "optin dev (kept in " + dataDir.resolve(DevOtpSecret.FILE_NAME) + ")");
      }
      serviceSettings = DevAuditSecrets.loadOrCreate(serviceSettings, dataDir);
      if (settings.optional(AUDIT_ARCHIVE_DIR).isEmpty()) {
        // The embedded default archives the ledger to segment files too, so `optin audit verify
        // --files` has data.
        serviceSettings =
            serviceSettings.with(
                Map.of(AUDIT_ARCHIVE_DIR.key(), dataDir.resolve("archive").toString()),
                "optin dev");
      }
      phase(phases, "dev secrets and settings", startedAt);
      return new DevStack(broker, registry, dataDir, topics, serviceSettings, phases);
    } catch (RuntimeException e) {
      if (provisioning != null) {
        provisioning.cancel(true);
      }
      if (registry != null) {
        registry.close();
      }
      broker.close();
      throw e;
    }
  }

  private static ProvisioningReport awaitTopics(Future<ProvisioningReport> provisioning) {
    try {
      return provisioning.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the topics were created", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("could not create the topics", e.getCause());
    }
  }

  /**
   * The data directory, created 0700 or tightened to it: it keeps the dev secrets and keys, the
   * broker's log and the Streams state, personal data in clear.
   */
  private static Path ownerOnly(Path dataDir) {
    try {
      return OwnerOnly.directory(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the data directory " + dataDir, e);
    }
  }

  /** The broker's {@code host:port}, or every node's, comma-separated. */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** The cluster when the stack runs several broker nodes; empty on one embedded broker. */
  public Optional<LocalCluster> cluster() {
    return broker instanceof ClusterBrokers brokers
        ? Optional.ofNullable(brokers.cluster)
        : Optional.empty();
  }

  public String registryUrl() {
    return registry.url();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** How long each part of {@link #start} took, in order: where a slow start-up spends its time. */
  public Map<String, Duration> startupPhases() {
    return startupPhases;
  }

  private static long phase(Map<String, Duration> phases, String name, long since) {
    long now = System.nanoTime();
    phases.put(name, Duration.ofNanos(now - since));
    LOG.debug("optin dev start-up: {} took {} ms", name, (now - since) / 1_000_000);
    return now;
  }

  /** What start-up did to each topic. */
  public ProvisioningReport topics() {
    return topics;
  }

  /**
   * The settings services run with on this stack: its broker and registry, and the dev otp.secret.
   */
  public Settings serviceSettings() {
    return serviceSettings;
  }

  /**
   * Stops the broker cleanly, as the first half of an operator's broker restart; the registry and
   * every client stay up and reconnect once {@link #startBroker()} brings it back. On several
   * nodes, it stops them all; {@link #cluster()} stops and restarts one.
   */
  public void stopBroker() {
    broker.close();
  }

  /**
   * Starts the stopped broker again on its data directory and configured port (on a stack started
   * with broker port 0 it comes back on another port).
   */
  public void startBroker() {
    broker.start();
    LOG.info("broker started again on {}", broker.bootstrapServers());
  }

  /** The broker nodes of the stack: one in this JVM, or a local cluster. */
  private interface Brokers {
    void start();

    String bootstrapServers();

    void close();
  }

  private record SingleBroker(EmbeddedKafkaBroker broker) implements Brokers {
    @Override
    public void start() {
      broker.start();
    }

    @Override
    public String bootstrapServers() {
      return broker.bootstrapServers();
    }

    @Override
    public void close() {
      broker.close();
    }
  }

  private static final class ClusterBrokers implements Brokers {
    private final LocalCluster.Builder builder;
    private LocalCluster cluster;

    ClusterBrokers(LocalCluster.Builder builder) {
      this.builder = builder;
    }

    @Override
    public void start() {
      cluster = builder.start();
    }

    @Override
    public String bootstrapServers() {
      if (cluster == null) {
        throw new IllegalStateException("The local cluster is not running");
      }
      return cluster.bootstrapServers();
    }

    @Override
    public void close() {
      if (cluster != null) {
        cluster.close();
        cluster = null;
      }
    }
  }

  /**
   * Stops the Schema Registry, as when the process of {@code optin broker}, which runs it, dies;
   * {@link #startRegistry()} brings it back on its port, from its topic.
   */
  public void stopRegistry() {
    registry.close();
  }

  /** Starts the stopped registry again (on a stack started with registry port 0, another port). */
  public void startRegistry() {
    registry.start();
  }

  /** Stops everything; the data directory stays for the next start. */
  @Override
  public void close() {
    registry.close();
    broker.close();
    LOG.debug("dev stack stopped");
  }

  private static ProvisioningReport provision(
      String bootstrapServers, Settings settings, Path dataDir) {
    // Only the address: kafka.* settings meant for a remote, secured cluster do not apply to the
    // local broker.
    Map<String, Object> admin =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            AdminClientConfig.CLIENT_ID_CONFIG,
            "optin-dev-topics");
    try (Admin client = Admin.create(admin)) {
      ProvisioningReport report =
          TopicProvisioner.of(client, settings, ADMIN_TIMEOUT)
              .provision(TopicProvisioner.catalogue(settings));
      if (!report.succeeded()) {
        throw new TopicProvisioningException(
            "the topics kept in the data directory disagree with the settings "
                + "(delete "
                + dataDir
                + " to start afresh, or change the settings):\n"
                + report.table());
      }
      return report;
    }
  }
}
