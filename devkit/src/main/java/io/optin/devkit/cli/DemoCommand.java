package io.optin.devkit.cli;

import io.optin.devkit.demo.DemoRun;
import io.optin.devkit.demo.DemoSummary;
import io.optin.devkit.demo.EmbeddedDemoStack;
import io.optin.devkit.demo.LedgerChainCheck;
import io.optin.devkit.demo.SummaryTable;
import io.optin.kit.config.DurationText;
import io.optin.server.cli.FailureHandler;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optin demo}: runs synthetic subscribers through every double opt-in path on a fresh
 * embedded stack and exits 0 only when every outcome on the topics is the one its path requires.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start the embedded default on free ports with a fresh data directory, drive synthetic "
          + "subscribers through every path (reply YES, reply the code, type the code, STOP, never answer, answer "
          + "late, invalid number, number refused by the carrier) and check every outcome on the topics.",
      "Prints a live progress line, then a summary; exits 0 only if every outcome matched. Nothing leaves the "
          + "machine: SMS go to the built-in Twilio sandbox. The demo reads no --config file and no OPTIN_* "
          + "variable: it always runs the defaults, on free ports, in a temporary data directory."
    })
public final class DemoCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = "--subscribers",
      paramLabel = "N",
      defaultValue = "300",
      description =
          "Synthetic subscribers, shared equally among the paths (8 to 1000; default ${DEFAULT-VALUE}).")
  private int subscribers;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "16",
      description = "HTTP calls to optin in flight at once (default ${DEFAULT-VALUE}).")
  private int concurrency;

  @Option(
      names = "--window",
      paramLabel = "DURATION",
      defaultValue = "20s",
      converter = DurationConverter.class,
      description =
          "The demo's confirmation window (5s to 60m; default ${DEFAULT-VALUE}). Only the demo can make "
              + "it shorter than a minute: otp.expiry stays 1 to 60 minutes.")
  private Duration window;

  @Option(
      names = "--verbose",
      description =
          "Keep the services' INFO log lines on stderr (by default only errors, "
              + "so the progress line stays readable).")
  private boolean verbose;

  @Override
  public Integer call() throws InterruptedException {
    if (!verbose) {
      DemoLogs.errorsOnly();
    }
    DemoRun.Options options;
    try {
      options = new DemoRun.Options(subscribers, concurrency, window);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("optin demo: " + e.getMessage());
      return FailureHandler.BAD_SETTINGS;
    }
    PrintWriter out = spec.commandLine().getOut();
    DemoSummary summary =
        new DemoRun(
                options,
                EmbeddedDemoStack::start,
                new LedgerChainCheck(),
                out,
                System.console() != null)
            .run();
    out.println();
    out.print(SummaryTable.render(summary));
    out.flush();
    return summary.passed() ? 0 : FailureHandler.FAILED;
  }

  /** {@code 20s}, {@code 2m}, ISO-8601. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return DurationText.parse(value);
    }
  }
}
