package io.optin.devkit.cli;

import io.optin.devkit.DevStack;
import io.optin.devkit.embedded.ClusterNode;
import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.SharedSettings;
import io.optin.server.cli.ConfigOption;
import io.optin.server.cli.UntilStopped;
import io.optin.server.topics.ProvisioningReport.Result;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code optin broker}: only the embedded broker (or, with {@code --nodes}, a local cluster of
 * brokers in their own processes), its topics and the Schema Registry, so services can run as
 * separate processes ({@code optin run}) and be killed and restarted, until Ctrl-C.
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Run only the embedded Kafka broker (KRaft), every optin topic and the Schema Registry, for "
          + "services started apart with 'optin run'.",
      "Ports and the data directory come from the dev.* settings; Ctrl-C stops everything cleanly.",
      "With --nodes 3: three KRaft brokers, each its own process on ports dev.broker.port to "
          + "dev.broker.port + 2, replication factor 3 and min.insync.replicas 2, so that one can "
          + "be killed (kill -9 PID) while the others serve."
    })
public final class BrokerCommand implements Callable<Integer> {

  @Mixin private ConfigOption config;

  @Option(
      names = "--nodes",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Broker nodes (default ${DEFAULT-VALUE}): 1 runs in this process; more run as a local "
              + "cluster, each node its own process, kept apart in the data directory.")
  private int nodes;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    if (nodes < 1 || nodes > 9) {
      throw new ParameterException(spec.commandLine(), "--nodes must be between 1 and 9: " + nodes);
    }
    PrintWriter out = spec.commandLine().getOut();
    long startedAt = System.nanoTime();
    out.println(
        nodes == 1
            ? "Starting the embedded broker and registry..."
            : "Starting a local cluster of " + nodes + " brokers and the registry...");
    out.flush();
    DevStack stack = DevStack.start(config.load(), nodes);
    return new UntilStopped(
            out,
            "optin broker",
            () -> printReady(out, stack, startedAt),
            () -> {
              out.println();
              out.println("Stopping...");
              out.flush();
              stack.close();
              out.println("Stopped; data kept in " + stack.dataDir() + ".");
            })
        .run();
  }

  private static void printReady(PrintWriter out, DevStack stack, long startedAt) {
    out.println();
    out.println("Kafka broker     " + stack.bootstrapServers());
    stack
        .cluster()
        .ifPresent(
            cluster -> {
              for (ClusterNode node : cluster.nodes()) {
                out.printf(
                    Locale.ROOT,
                    "  node %d        %s  pid %d  log %s%n",
                    node.id(),
                    node.bootstrapServer(),
                    node.pid(),
                    node.log());
              }
              out.printf(
                  Locale.ROOT,
                  "  replication factor %d, min.insync.replicas %d%n",
                  cluster.replicationFactor(),
                  cluster.minInsyncReplicas());
            });
    out.println("Schema Registry  " + stack.registryUrl());
    out.println("Data directory   " + stack.dataDir());
    out.println();
    out.print(stack.topics().table());
    out.println();
    out.printf(
        Locale.ROOT,
        "Topics: %d created, %d already existed.%n",
        stack.topics().withResult(Result.CREATED).size(),
        stack.topics().withResult(Result.EXISTS).size());
    out.println();
    out.println("Run services against it, each in its own terminal, for example:");
    out.println(
        "  "
            + ProcessSettings.KAFKA_BOOTSTRAP_SERVERS.environmentVariable()
            + "="
            + stack.bootstrapServers()
            + " "
            + ProcessSettings.SCHEMA_REGISTRY_URL.environmentVariable()
            + "="
            + stack.registryUrl()
            + " "
            + SharedSettings.OTP_SECRET.environmentVariable()
            + "=... ./optin run dispatcher");
    out.printf(
        Locale.ROOT,
        "Ready in %.1f s. Press Ctrl-C to stop.%n",
        (System.nanoTime() - startedAt) / 1e9);
    out.flush();
  }
}
