package io.optin.server.cli;

import static io.optin.kit.config.ProcessSettings.API_TOKENS;
import static io.optin.kit.config.ProcessSettings.HTTP_ADVERTISED_URL;
import static io.optin.kit.config.ProcessSettings.HTTP_MANAGEMENT_PORT;
import static io.optin.kit.config.ProcessSettings.HTTP_PORT;
import static io.optin.kit.config.ProcessSettings.KAFKA_BOOTSTRAP_SERVERS;
import static io.optin.kit.config.ProcessSettings.SCHEMA_REGISTRY_URL;

import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import io.optin.kit.http.HttpGateway;
import io.optin.kit.http.HttpRoute;
import io.optin.kit.metrics.Metrics;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.server.ListeningPorts;
import io.optin.server.stack.OptinServices;
import io.optin.server.stack.ServiceChecks;
import io.optin.server.stack.ServiceName;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code optin run SERVICE…}: services against an existing Kafka cluster and Schema Registry (no
 * embedded part), with the HTTP port (routes, health, metrics) on every interface, until Ctrl-C.
 * Several instances scale out.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run services against an existing Kafka cluster and Schema Registry: ingest, dispatcher, sender, "
          + "replies, audit, webhooks, or all.",
      "Settings come from --config FILE and OPTIN_* variables (docs/settings.md); api.tokens is required when "
          + "ingest, replies or audit serve /v1/*."
    })
public final class RunCommand implements Callable<Integer> {

  /** Every interface: Twilio and the platforms reach this port from outside. */
  private static final String ANY_HOST = "0.0.0.0";

  private static final Duration READY_WAIT = Duration.ofMinutes(5);

  @Parameters(
      arity = "1..*",
      paramLabel = "SERVICE",
      description = "ingest, dispatcher, sender, replies, audit, webhooks or all")
  private List<String> services;

  @Mixin private ConfigOption config;

  @Option(
      names = "--check",
      description =
          "Only check the settings the services would start with (nothing is connected, no port "
              + "is bound): print OK or every problem, exit 0 or 1.")
  private boolean check;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    if (check) {
      return check();
    }
    Settings settings = config.load();
    Set<ServiceName> selected = ServiceName.parse(services);
    requireTokensForTheApi(settings, selected);
    OptionalInt managementPort = ProcessSettings.managementPort(settings);
    PrintWriter out = spec.commandLine().getOut();
    long startedAt = System.nanoTime();
    out.println(
        "Starting "
            + String.join(", ", selected.stream().map(ServiceName::word).toList())
            + " against "
            + settings.string(KAFKA_BOOTSTRAP_SERVERS)
            + " (registry "
            + settings.string(SCHEMA_REGISTRY_URL)
            + ")...");
    out.flush();
    ListeningPorts.requireFree(ANY_HOST, settings.integer(HTTP_PORT), HTTP_PORT);
    if (managementPort.isPresent()) {
      ListeningPorts.requireFree(ANY_HOST, managementPort.getAsInt(), HTTP_MANAGEMENT_PORT);
    }
    Metrics registry = new Metrics();
    HttpGateway gateway =
        HttpGateway.open(
            ANY_HOST,
            settings.integer(HTTP_PORT),
            managementPort,
            ProcessSettings.httpLimits(settings),
            settings.list(API_TOKENS),
            registry);
    // The other instances reach this one at its host name and the port actually bound, unless
    // told otherwise.
    Settings advertised =
        settings.optional(HTTP_ADVERTISED_URL).isPresent()
            ? settings
            : settings.with(
                Map.of(
                    HTTP_ADVERTISED_URL.key(),
                    ProcessSettings.advertisedUrl(settings, gateway.port()).toString()),
                "optin run (host name and port)");
    OptinServices running;
    try {
      running = OptinServices.start(advertised, selected, OptinMetrics.on(registry));
    } catch (RuntimeException e) {
      gateway.close();
      throw e;
    }
    try {
      requireTokensForTheRoutes(settings, running.routes());
    } catch (RuntimeException e) {
      gateway.close();
      running.close();
      throw e;
    }
    gateway.mount(running.services());
    return new UntilStopped(
            out,
            "optin run",
            () -> {
              boolean ready = ReadyWait.await(() -> running.notReady().isEmpty(), READY_WAIT);
              out.println(
                  "HTTP             "
                      + gateway.url()
                      + " (routes "
                      + gateway.routes()
                      + ", /health/ready, /metrics)");
              gateway
                  .managementUrl()
                  .ifPresent(
                      management ->
                          out.println(
                              "Management       "
                                  + management
                                  + " (management port "
                                  + management.getPort()
                                  + ": /health/live, /health/ready, /metrics only)"));
              out.printf(
                  Locale.ROOT,
                  ready
                      ? "Ready in %.1f s. Press Ctrl-C to stop.%n"
                      : "Not ready after %.1f s (see /health/ready); still trying. Press Ctrl-C to stop.%n",
                  (System.nanoTime() - startedAt) / 1e9);
              out.flush();
            },
            () -> {
              out.println("Stopping...");
              out.flush();
              gateway.close();
              running.close();
              out.println("Stopped.");
            })
        .run();
  }

  /**
   * The dry run: every problem that would stop these services at start (the settings as loaded, the
   * tokens of the API, each service's config), without a connection or a port.
   */
  private int check() {
    Set<ServiceName> selected = ServiceName.parse(services);
    PrintWriter out = spec.commandLine().getOut();
    String names = String.join(", ", selected.stream().map(ServiceName::word).toList());
    List<String> problems = problems(config, selected);
    if (problems.isEmpty()) {
      out.println("OK: " + names + " would start with these settings (nothing was connected).");
    } else {
      out.println(
          "NOT OK: "
              + problems.size()
              + (problems.size() == 1 ? " problem stops " : " problems stop ")
              + names
              + ":");
      problems.forEach(problem -> out.println("  - " + problem));
    }
    out.flush();
    return problems.isEmpty() ? 0 : 1;
  }

  /**
   * What {@code optin run} of {@code selected} would refuse with these settings, one line per
   * problem; empty when they would start. It connects nowhere.
   */
  static List<String> problems(ConfigOption config, Set<ServiceName> selected) {
    Settings settings;
    try {
      settings = config.load();
    } catch (SettingsException e) {
      return e.problems();
    }
    List<String> problems = new ArrayList<>();
    try {
      requireTokensForTheApi(settings, selected);
    } catch (SettingsException e) {
      problems.addAll(e.problems());
    }
    try {
      ProcessSettings.managementPort(settings);
    } catch (SettingsException e) {
      problems.addAll(e.problems());
    }
    ServiceChecks.problems(settings, selected).forEach(problem -> problems.add(problem.toString()));
    return problems;
  }

  /**
   * The API is open to whoever reaches the port: outside dev no service serving {@code /v1/*}
   * (writes, personal data) runs without tokens. Checked before anything starts.
   */
  static void requireTokensForTheApi(Settings settings, Set<ServiceName> selected) {
    List<String> servingApi =
        selected.stream().filter(ServiceName::servesApi).map(ServiceName::word).toList();
    if (!servingApi.isEmpty() && settings.list(API_TOKENS).isEmpty()) {
      int last = servingApi.size() - 1;
      throw missingTokens(
          last == 0
              ? servingApi.get(0) + " runs"
              : String.join(", ", servingApi.subList(0, last))
                  + " and "
                  + servingApi.get(last)
                  + " run");
    }
  }

  /**
   * The same rule on the routes actually started, so that a service whose {@link
   * ServiceName#servesApi()} fell behind its routes still never opens {@code /v1/*} without tokens.
   */
  static void requireTokensForTheRoutes(Settings settings, List<HttpRoute> routes) {
    List<String> api =
        routes.stream()
            .map(HttpRoute::pathPrefix)
            .filter(
                path ->
                    path.startsWith(HttpGateway.API_PREFIX)
                        || path.startsWith(HttpGateway.INTERNAL_PREFIX))
            .toList();
    if (!api.isEmpty() && settings.list(API_TOKENS).isEmpty()) {
      throw missingTokens("routes " + String.join(", ", api) + " are served");
    }
  }

  private static SettingsException missingTokens(String when) {
    return new SettingsException(
        API_TOKENS.key()
            + " must be set when "
            + when
            + ": /v1/* (signups, verifications, subscribers, consent export) would be open to "
            + "anyone reaching the port; set "
            + API_TOKENS.environmentVariable()
            + "=<token>[,<token>...] (only optin dev runs without tokens)");
  }
}
