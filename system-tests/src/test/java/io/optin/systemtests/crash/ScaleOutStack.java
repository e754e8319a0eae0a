package io.optin.systemtests.crash;

import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.MasterKey;
import io.optin.devkit.sandbox.DeliveryScript;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.systemtests.CommittedRecords;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * optin scaled out as an operator runs it: every service twice, each instance an {@code optin run}
 * process of its own with its own settings file (HTTP port, public URL, state directory, instance
 * and sender ids), on a {@link Brokers} cluster, sending through the Twilio sandbox of the test's
 * JVM. An instance killed and started again keeps its settings file, as a restarted pod would.
 */
final class ScaleOutStack implements AutoCloseable {

  static final String API_TOKEN = "test-api-token";
  static final String FROM = "+15005550006";
  static final String PROGRAM = "acme-deals";
  static final int INSTANCES = 2;

  private static final String ACCOUNT_SID = "AC" + "0".repeat(32);
  private static final String AUTH_TOKEN = "test-auth-token";

  /**
   * How the services are laid out in processes: one per service instance, or (when that is too
   * heavy for the machine) {@code optin run all} per instance.
   */
  enum Layout {
    PER_SERVICE(List.of("ingest", "dispatcher", "sender", "replies", "audit"), "160m"),
    ALL_IN_ONE(List.of("all"), "400m");

    final List<String> services;
    final String heap;

    Layout(List<String> services, String heap) {
      this.services = services;
      this.heap = heap;
    }
  }

  /** One process: {@code optin run SERVICE} number {@code index} of its service. */
  record Instance(String service, int index, Path config, URI gateway) {
    String name() {
      return service + "-" + index;
    }

    boolean runs(String word) {
      return service.equals(word) || service.equals("all");
    }
  }

  private final Brokers brokers;
  private final TwilioSandbox sandbox;
  private final Layout layout;
  private final Path logs;
  private final List<Instance> instances;
  private final Map<String, OptinProcess> running = new ConcurrentHashMap<>();
  private int launched;

  private ScaleOutStack(
      Brokers brokers, TwilioSandbox sandbox, Layout layout, Path logs, List<Instance> instances) {
    this.brokers = brokers;
    this.sandbox = sandbox;
    this.layout = layout;
    this.logs = logs;
    this.instances = instances;
  }

  /**
   * Writes one settings file per instance; starts nothing but the sandbox.
   *
   * @param settings what every instance shares beyond the stack's own settings (limits…)
   */
  static ScaleOutStack create(
      Brokers brokers,
      int partitions,
      int maxPhones,
      Layout layout,
      Path dir,
      Path logs,
      Map<String, String> settings)
      throws IOException {
    TwilioSandbox sandbox =
        new TwilioSandbox("127.0.0.1", 0, ACCOUNT_SID, AUTH_TOKEN, maxPhones)
            .deliveryScript(DeliveryScript.allDelivered())
            .start();
    try {
      // Only this run's logs: a previous run's would mislead whoever reads them after a failure.
      if (Files.isDirectory(logs)) {
        try (var old = Files.list(logs)) {
          for (Path log : old.toList()) {
            Files.delete(log);
          }
        }
      }
      Files.createDirectories(logs);
      String audit = MasterKey.generate().toBase64();
      String signing = CheckpointSigningKey.generate().toBase64();
      List<Instance> instances = new ArrayList<>();
      for (String service : layout.services) {
        for (int index = 1; index <= INSTANCES; index++) {
          int port = Brokers.freePort();
          URI gateway = URI.create("http://127.0.0.1:" + port);
          String name = service + "-" + index;
          Map<String, String> own = new LinkedHashMap<>();
          own.put("kafka.bootstrap.servers", brokers.bootstrapServers());
          own.put("schema.registry.url", brokers.registryUrl());
          own.put("topics.partitions", Integer.toString(partitions));
          own.put("topics.replication.factor", Integer.toString(brokers.replicationFactor()));
          own.put("http.port", Integer.toString(port));
          own.put("public.base.url", gateway.toString());
          // Where the other instances forward a query for a phone this one owns.
          own.put("http.advertised.url", gateway.toString());
          own.put("api.tokens", API_TOKEN);
          own.put("twilio.account.sid", ACCOUNT_SID);
          own.put("twilio.auth.token", AUTH_TOKEN);
          own.put("twilio.api.base.url", sandbox.baseUrl().toString());
          own.put("twilio.from", FROM);
          own.put("otp.secret", "test-otp-secret-of-at-least-32-bytes!");
          own.put("audit.master.key", audit);
          own.put("audit.signing.key", signing);
          own.put("sms.sender.id", name);
          own.put("instance.id", name);
          own.put("streams.state.dir", dir.resolve("state").resolve(name).toString());
          // Ten processes share two cores and the memory: small RocksDB caches.
          own.put("streams.rocksdb.memory.mb", "16");
          // A killed member keeps its partitions until its session times out: short, so that the
          // survivors or the restarted instance take them back within seconds.
          own.put("kafka.session.timeout.ms", "6000");
          own.put("kafka.heartbeat.interval.ms", "1000");
          // Every stream thread of ten processes committing a transaction each 50 ms on three
          // replicas starves two cores (the coordinators answer CONCURRENT_TRANSACTIONS and the
          // producers back off): fewer, larger transactions, as an operator tunes a small cluster.
          own.put("kafka.commit.interval.ms", "250");
          own.putAll(settings);
          Path config =
              Files.writeString(
                  dir.resolve(name + ".properties"),
                  own.entrySet().stream()
                      .map(e -> e.getKey() + "=" + e.getValue())
                      .collect(Collectors.joining("\n", "", "\n")));
          instances.add(new Instance(service, index, config, gateway));
        }
      }
      return new ScaleOutStack(brokers, sandbox, layout, logs, List.copyOf(instances));
    } catch (IOException | RuntimeException e) {
      sandbox.close();
      throw e;
    }
  }

  /** Launches every instance at once, then waits until each is ready. */
  void startAll(Duration atMost) {
    instances.forEach(this::launch);
    long deadline = System.nanoTime() + atMost.toNanos();
    for (Instance instance : instances) {
      Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
      running.get(instance.name()).awaitReady(left);
    }
  }

  /** Starts the instance's process again on its settings; it becomes ready in the background. */
  OptinProcess launch(Instance instance) {
    OptinProcess previous = running.get(instance.name());
    if (previous != null && previous.isAlive()) {
      throw new IllegalStateException(instance.name() + " is still running");
    }
    int number;
    synchronized (this) {
      number = ++launched;
    }
    OptinProcess process =
        OptinProcess.start(
            instance.config(),
            logs.resolve(String.format("%02d-%s.log", number, instance.name())),
            instance.gateway(),
            List.of(instance.service()),
            layout.heap);
    running.put(instance.name(), process);
    return process;
  }

  OptinProcess process(Instance instance) {
    return running.get(instance.name());
  }

  List<Instance> instances() {
    return instances;
  }

  /** The instances running this service, in index order. */
  List<Instance> instancesOf(String service) {
    return instances.stream().filter(i -> i.runs(service)).toList();
  }

  /** The instances with index {@code index} (one of each service). */
  List<Instance> number(int index) {
    return instances.stream().filter(i -> i.index() == index).toList();
  }

  Layout layout() {
    return layout;
  }

  Brokers brokers() {
    return brokers;
  }

  TwilioSandbox sandbox() {
    return sandbox;
  }

  Path logs() {
    return logs;
  }

  CommittedRecords committedRecords() {
    return new CommittedRecords(brokers.bootstrapServers(), brokers.registryUrl());
  }

  @Override
  public void close() {
    // Every process at once: a clean stop of ten JVMs one after the other takes minutes.
    List<OptinProcess> processes = List.copyOf(running.values());
    processes.parallelStream().forEach(OptinProcess::close);
    sandbox.close();
  }
}
