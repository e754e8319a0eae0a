package io.optin.systemtests.crash;

import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.MasterKey;
import io.optin.devkit.DevSettings;
import io.optin.devkit.DevStack;
import io.optin.devkit.embedded.LocalCluster;
import io.optin.devkit.sandbox.DeliveryScript;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.kit.config.Settings;
import io.optin.systemtests.CommittedRecords;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the crash tests run optin against, in the test's own JVM so that it outlives every kill: a
 * real broker with every topic, the Schema Registry and the Twilio sandbox; and the one settings
 * file that every optin process of a test is started with (same HTTP port, same state directory,
 * same sender id), as a restarted pod would be.
 */
final class CrashStack implements AutoCloseable {

  static final String API_TOKEN = "test-api-token";
  static final String FROM = "+15005550006";

  private static final String ACCOUNT_SID = "AC" + "0".repeat(32);
  private static final String AUTH_TOKEN = "test-auth-token";
  private static final String PARTITIONS = "2";
  private static final Duration READY_WAIT = Duration.ofSeconds(150);

  private final DevStack stack;
  private final TwilioSandbox sandbox;
  private final URI gateway;
  private final Path config;
  private final Path logs;
  private int started;

  /** The processes and worlds handed out, closed with the stack, newest first. */
  private final Deque<AutoCloseable> handedOut = new ArrayDeque<>();

  private CrashStack(DevStack stack, TwilioSandbox sandbox, URI gateway, Path config, Path logs) {
    this.stack = stack;
    this.sandbox = sandbox;
    this.gateway = gateway;
    this.config = config;
    this.logs = logs;
  }

  /**
   * @param dir scratch directory (broker data, Streams state, the settings file)
   * @param logs where each optin process's output is kept, to read after a failure
   */
  static CrashStack start(Path dir, Path logs) throws IOException {
    // A fixed broker port, so that a restarted broker is where every client knows it.
    return start(dir, logs, settings -> DevStack.start(settings), freePort());
  }

  /**
   * As {@link #start(Path, Path)}, on a {@link LocalCluster} of {@code nodes} brokers, each in a
   * process of its own that the test can kill and restart ({@link #cluster()}); from three nodes
   * on, every topic has three replicas and min ISR 2.
   */
  static CrashStack onCluster(Path dir, Path logs, int nodes) throws IOException {
    // Port 0: the cluster picks free ones and keeps them across node restarts.
    return start(dir, logs, settings -> DevStack.startCluster(settings, nodes), 0);
  }

  private static CrashStack start(
      Path dir, Path logs, Function<Settings, DevStack> brokers, int brokerPort)
      throws IOException {
    DevStack stack =
        brokers.apply(
            Settings.load(
                DevSettings.CATALOGUE,
                Optional.empty(),
                Map.of(
                    "OPTIN_DEV_BROKER_PORT",
                    Integer.toString(brokerPort),
                    "OPTIN_DEV_REGISTRY_PORT",
                    // Fixed too, so that a restarted registry is where every client knows it.
                    Integer.toString(freePort()),
                    "OPTIN_DEV_DATA_DIR",
                    dir.resolve("broker").toString(),
                    "OPTIN_TOPICS_PARTITIONS",
                    PARTITIONS)));
    TwilioSandbox sandbox = null;
    try {
      sandbox =
          new TwilioSandbox("127.0.0.1", 0, ACCOUNT_SID, AUTH_TOKEN)
              .deliveryScript(DeliveryScript.allDelivered())
              .start();
      int port = freePort();
      URI gateway = URI.create("http://127.0.0.1:" + port);
      Path config =
          Files.writeString(
              dir.resolve("optin.properties"),
              runSettings(stack, sandbox, port, gateway, dir.resolve("state")));
      Files.createDirectories(logs);
      return new CrashStack(stack, sandbox, gateway, config, logs);
    } catch (IOException | RuntimeException e) {
      if (sandbox != null) {
        sandbox.close();
      }
      stack.close();
      throw e;
    }
  }

  /** Starts {@code optin run all} on the stack's settings and waits until it is ready. */
  OptinProcess startOptin(String name) {
    OptinProcess process = launchOptin(name);
    try {
      return process.awaitReady(READY_WAIT);
    } catch (RuntimeException | Error e) {
      process.kill();
      throw e;
    }
  }

  /** Starts {@code optin run all} on the stack's settings; it becomes ready in the background. */
  OptinProcess launchOptin(String name) {
    started++;
    OptinProcess process =
        OptinProcess.start(config, logs.resolve(started + "-" + name + ".log"), gateway);
    handedOut.push(process);
    return process;
  }

  /** Stops the broker cleanly, while optin and the registry run on. */
  void stopBroker() {
    stack.stopBroker();
  }

  /** Stops the registry, while optin runs on, as when the process of optin broker dies. */
  void stopRegistry() {
    stack.stopRegistry();
  }

  /** Starts the registry again on the same port, from its topic. */
  void startRegistry() {
    stack.startRegistry();
  }

  /** Starts the broker again on the same port and data. */
  void startBroker() {
    stack.startBroker();
  }

  /** The brokers, when the stack was started {@link #onCluster on a cluster}. */
  LocalCluster cluster() {
    return stack.cluster().orElseThrow(() -> new IllegalStateException("not on a cluster"));
  }

  /** The settings file every optin process of the test is started with. */
  Path config() {
    return config;
  }

  TwilioSandbox sandbox() {
    return sandbox;
  }

  /** The optin processes' HTTP port, the same for every one: {@code public.base.url}. */
  URI gatewayUrl() {
    return gateway;
  }

  URI inboundWebhookUrl() {
    return gateway.resolve("/webhooks/twilio/inbound");
  }

  String bootstrapServers() {
    return stack.bootstrapServers();
  }

  String registryUrl() {
    return stack.registryUrl();
  }

  /** The platform and the phones, talking to the optin processes' port; closed with the stack. */
  OutsideWorld outsideWorld() {
    OutsideWorld world = new OutsideWorld(sandbox, gatewayUrl(), inboundWebhookUrl());
    handedOut.push(world);
    return world;
  }

  /** A read_committed reader of the stack's topics. */
  CommittedRecords committedRecords() {
    return new CommittedRecords(bootstrapServers(), registryUrl());
  }

  /**
   * Stops every optin process started here and every outside world handed out, then the sandbox and
   * the brokers: a test's teardown is this one call.
   */
  @Override
  public void close() throws Exception {
    Exception first = null;
    while (!handedOut.isEmpty()) {
      try {
        handedOut.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    sandbox.close();
    stack.close();
    if (first != null) {
      throw first;
    }
  }

  private static String runSettings(
      DevStack stack, TwilioSandbox sandbox, int port, URI gateway, Path stateDir) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("kafka.bootstrap.servers", stack.bootstrapServers());
    settings.put("schema.registry.url", stack.registryUrl());
    settings.put("topics.partitions", PARTITIONS);
    settings.put("http.port", Integer.toString(port));
    settings.put("public.base.url", gateway.toString());
    settings.put("api.tokens", API_TOKEN);
    settings.put("twilio.account.sid", ACCOUNT_SID);
    settings.put("twilio.auth.token", AUTH_TOKEN);
    settings.put("twilio.api.base.url", sandbox.baseUrl().toString());
    settings.put("twilio.from", FROM);
    settings.put("otp.secret", "test-otp-secret-of-at-least-32-bytes!");
    settings.put("audit.master.key", MasterKey.generate().toBase64());
    settings.put("audit.signing.key", CheckpointSigningKey.generate().toBase64());
    // No resend during a test: every code SMS beyond the first of a phone is then a crash
    // duplicate.
    settings.put("otp.resend.cooldown", "9m");
    // Every signup comes from the one IP of the test platform.
    settings.put("limits.ip.per.hour", "100000");
    settings.put("sms.sender.id", "crash-test");
    settings.put("streams.state.dir", stateDir.toString());
    // A killed member keeps its partitions until its session times out (45 s by default): shorter,
    // so that the
    // restarted process gets them back within seconds.
    settings.put("kafka.session.timeout.ms", "6000");
    settings.put("kafka.heartbeat.interval.ms", "1000");
    return settings.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("\n", "", "\n"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
