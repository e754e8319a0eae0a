package io.optin.devkit;

import io.optin.devkit.cli.BenchCommand;
import io.optin.devkit.cli.BrokerCommand;
import io.optin.devkit.cli.DemoCommand;
import io.optin.devkit.cli.DevCommand;
import io.optin.server.OptinCommand;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code optin} command of the laptop jar (what {@code ./optin} runs): the production command
 * plus {@code demo}, {@code dev}, {@code broker} and {@code bench}, which start an embedded broker,
 * registry and Twilio sandbox.
 */
public final class DevkitCommand {

  private DevkitCommand() {}

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /**
   * The command line as {@code main} runs it, reading the settings of {@link DevSettings} from
   * {@code environment}.
   */
  public static CommandLine commandLine(Map<String, String> environment) {
    return OptinCommand.commandLine(
        environment,
        DevSettings.CATALOGUE,
        List.of(DemoCommand.class, DevCommand.class, BrokerCommand.class, BenchCommand.class));
  }
}
