package io.optin.devkit.cli;

import io.optin.devkit.bench.BenchOptions;
import io.optin.devkit.bench.BenchRun;
import io.optin.kit.config.DurationText;
import io.optin.server.cli.FailureHandler;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optin bench}: drives complete double opt-in flows (signup, SMS, YES, confirmation, ledger)
 * through optin and prints per-hop latency percentiles, throughput and a pass-through baseline from
 * the same broker; exits 0 only when every flow completed exactly once.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Start the embedded default on free ports (or use a running optin), with a Twilio sandbox that"
          + " answers after --provider-latency and phones that reply YES --reply-delay after their SMS"
          + " reached it; drive signups open loop (--rate and --duration) or closed loop (--flows);"
          + " print p50/p95/p99/p99.9/max per hop, complete flows/s, CPU and RSS, and the records/s of"
          + " an exactly_once_v2 pass-through topology on the same broker.",
      "Writes result.json and report.html into --out. Exits 0 only if every flow completed exactly"
          + " once (no flow lost, refused or unfinished, no duplicate confirmation, SMS or ledger"
          + " record). The embedded stack runs the defaults except the velocity limits, the"
          + " SMS-pumping guard and sms.rate.per.second, which a load test must raise; it reads no"
          + " --config file and no OPTIN_* variable. See docs/bench.md."
    })
public final class BenchCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = "--rate",
      paramLabel = "R",
      description = "Signups per second, open loop (with --duration; default 100 for 20s).")
  private Double rate;

  @Option(
      names = "--duration",
      paramLabel = "D",
      converter = DurationConverter.class,
      description = "How long to send at --rate: 30s, 2m.")
  private Duration duration;

  @Option(
      names = "--flows",
      paramLabel = "N",
      description =
          "Closed loop instead: N flows, each signup sent as soon as one of --concurrency is"
              + " answered.")
  private Integer flows;

  @Option(
      names = "--provider-latency",
      paramLabel = "D",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description =
          "How long the sandbox's Messages API takes to answer (default ${DEFAULT-VALUE}).")
  private Duration providerLatency;

  @Option(
      names = "--reply-delay",
      paramLabel = "D",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description =
          "How long after its SMS reached the provider each phone replies YES (default"
              + " ${DEFAULT-VALUE}).")
  private Duration replyDelay;

  @Option(
      names = "--via",
      paramLabel = "http|kafka",
      defaultValue = "http",
      converter = ViaConverter.class,
      description =
          "http: POST /v1/signups; kafka: SignupRequested records straight to"
              + " optin.signup-requests.v1 (default ${DEFAULT-VALUE}).")
  private BenchOptions.Via via;

  @Option(
      names = "--concurrency",
      paramLabel = "C",
      defaultValue = "64",
      description = "Signups in flight at once (default ${DEFAULT-VALUE}).")
  private int concurrency;

  @Option(
      names = "--drain",
      paramLabel = "D",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "After the last signup, how long the last flows may take before the unfinished are"
              + " counted (default ${DEFAULT-VALUE}; a pipeline quiet for 10 s ends it sooner).")
  private Duration drain;

  @Option(
      names = "--baseline-records",
      paramLabel = "N",
      defaultValue = "100000",
      description =
          "Records the pass-through baseline copies; 0 skips it (default ${DEFAULT-VALUE}).")
  private int baselineRecords;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Where result.json and report.html go (default: a new bench-results/<timestamp> in the"
              + " current directory).")
  private Path out;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description = "A running optin's broker (with --registry and --target).")
  private String bootstrapServers;

  @Option(names = "--registry", paramLabel = "URL", description = "Its Schema Registry.")
  private URI registry;

  @Option(
      names = "--target",
      paramLabel = "URL",
      description = "Its HTTP port, e.g. http://127.0.0.1:8080 (also its public.base.url).")
  private URI target;

  @Option(names = "--token", paramLabel = "TOKEN", description = "One of its api.tokens.")
  private String token;

  @Option(
      names = "--sandbox-port",
      paramLabel = "PORT",
      defaultValue = "8089",
      description =
          "With a running optin: the port of the bench's Twilio sandbox, which that optin's"
              + " twilio.api.base.url must name (default ${DEFAULT-VALUE}).")
  private int sandboxPort;

  @Option(
      names = "--twilio-account-sid",
      paramLabel = "SID",
      description = "With a running optin: its twilio.account.sid, which the sandbox accepts.")
  private String accountSid;

  @Option(
      names = "--twilio-auth-token",
      paramLabel = "TOKEN",
      description =
          "With a running optin: its twilio.auth.token, which the sandbox checks and signs with.")
  private String authToken;

  @Option(
      names = "--verbose",
      description = "Keep the services' INFO log lines on stderr (by default only errors).")
  private boolean verbose;

  @Override
  public Integer call() throws Exception {
    BenchOptions options;
    try {
      options =
          new BenchOptions(
              BenchOptions.load(rate, duration, flows),
              providerLatency,
              replyDelay,
              via,
              concurrency,
              drain,
              baselineRecords,
              out != null ? out : defaultOut(),
              BenchOptions.remote(
                  bootstrapServers, registry, target, token, sandboxPort, accountSid, authToken));
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("optin bench: " + e.getMessage());
      return FailureHandler.BAD_SETTINGS;
    }
    if (!verbose) {
      DemoLogs.errorsOnly();
    }
    PrintWriter stdout = spec.commandLine().getOut();
    // The arguments as typed, "bench" included.
    String commandLine =
        "optin " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    var result = new BenchRun(options, commandLine, stdout).run();
    stdout.print(BenchRun.summary(result));
    stdout.println("Wrote " + options.out().resolve("result.json") + " and report.html.");
    stdout.flush();
    return result.passed() ? 0 : FailureHandler.FAILED;
  }

  private static Path defaultOut() {
    return Path.of(
        "bench-results",
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
  }

  /** {@code 30s}, {@code 300ms}, {@code 2m}, ISO-8601. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return DurationText.parse(value);
    }
  }

  /** {@code http} or {@code kafka}, any case. */
  static final class ViaConverter implements ITypeConverter<BenchOptions.Via> {
    @Override
    public BenchOptions.Via convert(String value) {
      for (BenchOptions.Via via : BenchOptions.Via.values()) {
        if (via.name().equalsIgnoreCase(value.trim())) {
          return via;
        }
      }
      throw new IllegalArgumentException("--via must be http or kafka, got '" + value + "'");
    }
  }
}
