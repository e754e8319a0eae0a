package io.optin.server;

import io.optin.kit.config.SettingsCatalogue;
import io.optin.server.cli.AuditCommand;
import io.optin.server.cli.CommandFactory;
import io.optin.server.cli.FailureHandler;
import io.optin.server.cli.KeysCommand;
import io.optin.server.cli.RunCommand;
import io.optin.server.cli.TopicsCommand;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The production {@code optin} command: {@code run}, {@code topics} and {@code audit}, against an
 * existing cluster. It only wires its subcommands (each lives in {@code io.optin.server.cli}); the
 * laptop's commands ({@code demo}, {@code dev}, {@code broker}) are added by the devkit jar, so
 * this jar carries no Kafka broker.
 */
@Command(
    name = "optin",
    mixinStandardHelpOptions = true,
    versionProvider = OptinCommand.Version.class,
    description = "SMS double opt-in on Apache Kafka.")
public final class OptinCommand implements Runnable {

  @Spec private CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /**
   * The command line as {@code main} runs it, reading the settings of {@link OptinSettings} from
   * {@code environment}.
   */
  public static CommandLine commandLine(Map<String, String> environment) {
    return commandLine(environment, OptinSettings.CATALOGUE, List.of());
  }

  /**
   * The command line with {@code leading} subcommands listed before the production ones (the
   * devkit's {@code demo}, {@code dev} and {@code broker}); each is built by the same factory, so
   * it reads the same environment and knows the settings of the same {@code catalogue}.
   */
  public static CommandLine commandLine(
      Map<String, String> environment, SettingsCatalogue catalogue, List<Class<?>> leading) {
    CommandLine line =
        new CommandLine(new OptinCommand(), new CommandFactory(environment, catalogue));
    for (Class<?> command : leading) {
      line.addSubcommand(command);
    }
    line.addSubcommand(RunCommand.class);
    line.addSubcommand(TopicsCommand.class);
    line.addSubcommand(AuditCommand.class);
    line.addSubcommand(KeysCommand.class);
    line.addSubcommand(CommandLine.HelpCommand.class);
    return line.setExecutionExceptionHandler(new FailureHandler());
  }

  @Override
  public void run() {
    String hint =
        spec.subcommands().containsKey("demo")
            ? "try 'optin demo', 'optin dev' or 'optin help'"
            : "try 'optin run all --config FILE' or 'optin help'";
    throw new ParameterException(spec.commandLine(), "Missing command: " + hint);
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
