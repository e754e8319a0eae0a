package io.optin.devkit.cli;

import io.optin.devkit.DevStack;
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
import picocli.CommandLine.Spec;

/**
 * {@code optin broker}: only the embedded broker, its topics and the Schema Registry, so services
 * can run as separate processes ({@code optin run}) and be killed and restarted, until Ctrl-C.
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Run only the embedded Kafka broker (KRaft), every optin topic and the Schema Registry, for "
          + "services started apart with 'optin run'.",
      "Ports and the data directory come from the dev.* settings; Ctrl-C stops everything cleanly."
    })
public final class BrokerCommand implements Callable<Integer> {

  @Mixin private ConfigOption config;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    long startedAt = System.nanoTime();
    out.println("Starting the embedded broker and registry...");
    out.flush();
    DevStack stack = DevStack.start(config.load());
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
