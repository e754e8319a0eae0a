package io.optin.app;

import io.optin.app.cli.AuditCommand;
import io.optin.app.cli.CommandFactory;
import io.optin.app.cli.DevCommand;
import io.optin.app.cli.FailureHandler;
import io.optin.app.cli.TopicsCommand;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code optin} command: only wires its subcommands; each one lives in {@code io.optin.app.cli}. */
@Command(name = "optin", mixinStandardHelpOptions = true, versionProvider = OptinCommand.Version.class,
    description = "SMS double opt-in on Apache Kafka.",
    subcommands = {DevCommand.class, TopicsCommand.class, AuditCommand.class, CommandLine.HelpCommand.class})
public final class OptinCommand implements Runnable {

  @Spec
  private CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** The command line as {@code main} runs it, reading settings from {@code environment}. */
  public static CommandLine commandLine(Map<String, String> environment) {
    return new CommandLine(new OptinCommand(), new CommandFactory(environment))
        .setExecutionExceptionHandler(new FailureHandler());
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: try 'optin dev' or 'optin help'");
  }

  /** The version of the jar, from its manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = OptinCommand.class.getPackage().getImplementationVersion();
      return new String[] {"optin " + (version == null ? "(development build)" : version)};
    }
  }
}
