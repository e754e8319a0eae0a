package io.optin.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code optin keys}: groups the secret tools; alone, it says which ones exist. */
@Command(
    name = "keys",
    description = "Generate optin's own secrets.",
    mixinStandardHelpOptions = true,
    subcommands = KeysGenerateCommand.class)
public final class KeysCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing subcommand: try 'optin keys generate'");
  }
}
