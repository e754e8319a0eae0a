package io.optin.devkit.cli;

import io.optin.devkit.EmbeddedOptin;
import io.optin.dispatcher.DispatcherSettings;
import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.Settings;
import io.optin.kit.http.RunningService;
import io.optin.server.DevAuditSecrets;
import io.optin.server.cli.ConfigOption;
import io.optin.server.cli.ReadyWait;
import io.optin.server.cli.UntilStopped;
import io.optin.server.topics.ProvisioningReport.Result;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code optin dev}: the whole of optin on the embedded default, left running until Ctrl-C (or an
 * interrupt of the thread running it), which stops it cleanly.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Run the embedded default: a real single-node Kafka broker (KRaft), the Schema Registry, every "
          + "optin topic, all services on one HTTP port and, unless Twilio credentials are set, the built-in "
          + "Twilio sandbox.",
      "Ports and the data directory come from the dev.* and http.port settings; Ctrl-C stops everything "
          + "cleanly."
    })
public final class DevCommand implements Callable<Integer> {

  /** How long the services get to join the broker before start-up is reported as incomplete. */
  private static final Duration READY_WAIT = Duration.ofSeconds(120);

  @Mixin private ConfigOption config;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    Settings settings = config.load();
    PrintWriter out = spec.commandLine().getOut();
    long startedAt = System.nanoTime();
    out.println("Starting optin dev...");
    out.flush();
    EmbeddedOptin optin = EmbeddedOptin.start(settings);
    return new UntilStopped(
            out,
            "optin dev",
            () -> {
              boolean ready = ReadyWait.await(optin::isReady, READY_WAIT);
              printReady(out, optin, ready, Duration.ofNanos(System.nanoTime() - startedAt));
            },
            () -> stop(out, optin))
        .run();
  }

  private static void printReady(
      PrintWriter out, EmbeddedOptin optin, boolean ready, Duration startup) {
    out.println();
    out.println("Kafka broker     " + optin.bootstrapServers());
    out.println("Schema Registry  " + optin.registryUrl());
    out.println(
        "HTTP API         "
            + optin.gatewayUrl()
            + "  (health "
            + optin.gatewayUrl()
            + "/health/ready, "
            + "metrics "
            + optin.gatewayUrl()
            + "/metrics)");
    optin
        .managementUrl()
        .ifPresent(
            management ->
                out.println(
                    "Management       "
                        + management
                        + "  (management port "
                        + management.getPort()
                        + ": /health/live, /health/ready, /metrics only)"));
    out.println(
        "Twilio webhooks  "
            + optin.inboundWebhookUrl()
            + "  (signatures checked against "
            + ProcessSettings.PUBLIC_BASE_URL.key()
            + "="
            + optin.publicBaseUrl()
            + ")");
    optin
        .sandbox()
        .ifPresentOrElse(
            sandbox ->
                out.println(
                    "Twilio sandbox   "
                        + sandbox.baseUrl()
                        + "/  (SMS from "
                        + optin.fromNumber().orElse("?")
                        + " land here, nothing leaves this machine; answer as the phone "
                        + "on that page)"),
            () ->
                out.println(
                    "Twilio           real account "
                        + optin.settings().string(DispatcherSettings.TWILIO_ACCOUNT_SID)
                        + ": SMS are really sent"));
    out.println("Data directory   " + optin.dataDir());
    out.println();
    out.print(optin.devStack().topics().table());
    out.println();
    out.printf(
        Locale.ROOT,
        "Topics: %d created, %d already existed.%n",
        optin.devStack().topics().withResult(Result.CREATED).size(),
        optin.devStack().topics().withResult(Result.EXISTS).size());
    out.println(
        "Services: "
            + String.join(
                ", ",
                optin.services().services().stream()
                    .map(RunningService::name)
                    .map(Object::toString)
                    .toList()));
    out.println();
    out.println("Sign up a phone (the code arrives on the sandbox page; reply YES there):");
    out.println(
        "  curl -i -X POST "
            + optin.gatewayUrl()
            + "/v1/signups -H 'Content-Type: application/json' "
            + "-d '{\"phone\":\"+14155550123\",\"programId\":\"demo\",\"consentText\":\"Yes, text me offers. Msg & data "
            + "rates may apply. Reply STOP to opt out.\",\"source\":{\"channel\":\"web_form\"},\"locale\":\"en-US\"}'");
    out.println();
    if (ready) {
      out.printf(
          Locale.ROOT, "Ready in %.1f s. Press Ctrl-C to stop.%n", startup.toMillis() / 1000.0);
    } else {
      out.printf(
          Locale.ROOT,
          "Not ready after %.1f s: %s still starting (see %s/health/ready). "
              + "Press Ctrl-C to stop.%n",
          startup.toMillis() / 1000.0,
          String.join(
              ", ", optin.services().notReady().stream().map(RunningService::name).toList()),
          optin.gatewayUrl());
    }
    out.flush();
  }

  private static void stop(PrintWriter out, EmbeddedOptin optin) {
    long stoppingAt = System.nanoTime();
    out.println();
    out.println("Stopping optin dev...");
    out.flush();
    optin.close();
    out.printf(
        Locale.ROOT,
        "Stopped cleanly in %.1f s; data kept in %s (set %s to use another directory).%n",
        (System.nanoTime() - stoppingAt) / 1e9,
        optin.dataDir(),
        DevAuditSecrets.DEV_DATA_DIR.key());
    out.flush();
  }
}
